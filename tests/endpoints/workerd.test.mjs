// The token endpoint contract (contract.mjs) against the workerd example, started for real.
import { describeEndpoint } from './contract.mjs';

describeEndpoint('workerd');
