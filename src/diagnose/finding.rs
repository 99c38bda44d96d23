//! What a diagnosis finds: each finding with a stable code from one table, a severity, what
//! is wrong and what to do.

use serde::Serialize;

/// How much a finding matters: an `error` is something Mux rejects.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Mux will reject the request.
    Error,
    /// Probably not what was meant, or something to know.
    Warning,
    /// A fact about the input.
    Info,
}

/// Writes [`FindingCode`], its `ALL` and its `as_str` from one table.
macro_rules! finding_codes {
    ($($name:ident => $code:literal,)*) => {
        /// Every finding a diagnosis can make, by its stable snake_case code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
        #[non_exhaustive]
        pub enum FindingCode {
            $(
                #[doc = concat!("`", $code, "`")]
                #[serde(rename = $code)]
                $name,
            )*
        }

        impl FindingCode {
            /// Every finding code.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$name),*];

            /// The stable snake_case code (`expired`, `aud_mismatch`…).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(FindingCode::$name => $code,)*
                }
            }
        }
    };
}

finding_codes! {
    AlgNotRs256 => "alg_not_rs256",
    AudMismatch => "aud_mismatch",
    AudMissing => "aud_missing",
    CustomDomain => "custom_domain",
    ExpInMilliseconds => "exp_in_milliseconds",
    ExpMissing => "exp_missing",
    Expired => "expired",
    KidMismatch => "kid_mismatch",
    KidMissing => "kid_missing",
    NotAJwt => "not_a_jwt",
    NotYetValid => "not_yet_valid",
    ParamInvalid => "param_invalid",
    ParamUnknown => "param_unknown",
    ParamsOutsideToken => "params_outside_token",
    SignatureInvalid => "signature_invalid",
    SignatureNotChecked => "signature_not_checked",
    SubMismatch => "sub_mismatch",
    SubMissing => "sub_missing",
    Summary => "summary",
    TokenMissing => "token_missing",
    WrongTokenRole => "wrong_token_role",
}

impl core::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// One thing found: a stable `code`, its severity, what is wrong, and what to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Stable snake_case name (`expired`, `aud_mismatch`…).
    pub code: FindingCode,
    /// How much it matters.
    pub severity: Severity,
    /// What is wrong (or what is so), in the person's terms.
    pub message: String,
    /// What to do about it; empty for facts.
    pub fix: String,
}

impl Finding {
    pub(super) fn new(code: FindingCode, severity: Severity, message: String, fix: &str) -> Self {
        Finding {
            code,
            severity,
            message,
            fix: fix.to_owned(),
        }
    }
}
