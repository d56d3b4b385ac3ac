// The key of the committed replay histories. It protects nothing: it exists only so histories captured by
// `npm run capture-history -- --scenario ...` (whose payloads are encrypted like every ovhflow payload) can be
// replayed by the test suite. Never use it for real runs.
import { parseKeyring } from '../../src/codec/keyring.js';

export const REPLAY_KEYRING = parseKeyring('replay-only:8Ak8bWE0/mMO6YIY4Q7iNwKvz8jn167kqECWEfjad0o=');
