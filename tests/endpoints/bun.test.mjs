// The token endpoint contract (contract.mjs) against the bun example, started for real.
import { describeEndpoint } from './contract.mjs';

describeEndpoint('bun');
