export { maskSecrets } from '../../secrets/mask.js';
