//! The `Signer` class: a key parsed once, for signing many tokens.

use wasm_bindgen::prelude::*;

use super::convert::{claims_to_js, js_error, now, secret_arg, string_arg, to_js};
use super::functions::{sign_counts, sign_drm, sign_playback};
use super::options::JsOptions;
use crate::error::Field;
use crate::jws;
use crate::signer::Signer;
use crate::KeyExportFormat;

/// A signing key parsed once, for signing many tokens. Call `free()` to wipe it at once.
#[wasm_bindgen(js_name = Signer)]
pub struct JsSigner {
    inner: Signer,
}

#[wasm_bindgen(js_class = Signer)]
impl JsSigner {
    /// Parses the private key (any accepted format) for the signing key ID.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] key_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] key_secret: JsValue,
    ) -> Result<JsSigner, JsValue> {
        let parse = || {
            let key_id = string_arg(&key_id, "keyId", Field::KeyId)?;
            let key_secret = secret_arg(&key_secret, Field::KeySecret)?;
            Signer::new(&key_id, &key_secret)
        };
        parse().map(|inner| JsSigner { inner }).map_err(js_error)
    }

    /// The signing key ID.
    #[wasm_bindgen(getter, js_name = keyId)]
    pub fn key_id(&self) -> String {
        self.inner.key_id().to_owned()
    }

    /// As the module's `signPlaybackId`, without the key options.
    #[wasm_bindgen(js_name = signPlaybackId, unchecked_return_type = "string | Tokens")]
    pub fn sign_playback_id(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "PlaybackOptions | PlaybackSetOptions")]
        options: JsValue,
    ) -> Result<JsValue, JsValue> {
        JsOptions::read(&options, false)
            .and_then(|options| sign_playback(&self.inner, &playback_id, &options))
            .map_err(js_error)
    }

    /// As the module's `signDrmLicense`, without the key options.
    #[wasm_bindgen(js_name = signDrmLicense)]
    pub fn sign_drm_license(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] playback_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "SignOptionsBase")] options: JsValue,
    ) -> Result<String, JsValue> {
        JsOptions::read(&options, false)
            .and_then(|options| sign_drm(&self.inner, &playback_id, &options))
            .map_err(js_error)
    }

    /// As the module's `signViewerCounts`, without the key options.
    #[wasm_bindgen(js_name = signViewerCounts)]
    pub fn sign_viewer_counts(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "ViewerCountsOptions")] options: JsValue,
    ) -> Result<String, JsValue> {
        JsOptions::read(&options, false)
            .and_then(|options| sign_counts(&self.inner, &id, &options))
            .map_err(js_error)
    }

    /// The public key as SPKI PEM.
    #[wasm_bindgen(js_name = publicKeyPem)]
    pub fn public_key_pem(&self) -> String {
        self.inner.key().public_key().to_pem()
    }

    /// The public key as a JWK whose `kid` is the signing key ID.
    #[wasm_bindgen(js_name = publicJwk, unchecked_return_type = "PublicJwk")]
    pub fn public_jwk(&self) -> Result<JsValue, JsValue> {
        let jwk = self
            .inner
            .key()
            .public_key()
            .to_jwk(Some(self.inner.key_id()));
        claims_to_js(&jwk).map_err(js_error)
    }

    /// The RFC 7638 JWK thumbprint of the public key.
    pub fn thumbprint(&self) -> String {
        self.inner.key().public_key().thumbprint()
    }

    /// What the key is: size, input format, thumbprint.
    #[wasm_bindgen(js_name = keyInfo, unchecked_return_type = "KeyInfo")]
    pub fn key_info(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.key().info()).map_err(js_error)
    }

    /// The key written in another format: `pkcs8-pem`, `pkcs1-pem`, `jwk`, `mux-base64`, `env`
    /// (secret text: it is the private key), or `public-pem`, `public-jwk`.
    #[wasm_bindgen(js_name = exportKey)]
    pub fn export_key(
        &self,
        #[wasm_bindgen(unchecked_param_type = "KeyExportFormat")] format: JsValue,
    ) -> Result<String, JsValue> {
        string_arg(&format, "format", Field::Options)
            .and_then(|name| KeyExportFormat::parse(&name))
            .and_then(|format| self.inner.key().export(format, Some(self.inner.key_id())))
            .map(|text| text.as_str().to_owned())
            .map_err(js_error)
    }

    /// Decodes a token and checks its signature against this key's public half; throws if it
    /// does not match.
    #[wasm_bindgen(unchecked_return_type = "DecodedToken")]
    pub fn verify(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] token: JsValue,
    ) -> Result<JsValue, JsValue> {
        string_arg(&token, "token", Field::Token)
            .and_then(|token| jws::verify(&token, self.inner.key().public_key(), now()))
            .and_then(|decoded| claims_to_js(&decoded))
            .map_err(js_error)
    }
}
