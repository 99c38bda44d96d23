// The token endpoint contract (contract.mjs) against the deno example, started for real.
import { describeEndpoint } from './contract.mjs';

describeEndpoint('deno');
