// The token endpoint contract (contract.mjs) against the node example, started for real.
import { describeEndpoint } from './contract.mjs';

describeEndpoint('node');
