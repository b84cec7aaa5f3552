// n8n loads nodes and credentials from the `n8n` attribute of package.json; this entry point only
// exists so the classes can also be imported programmatically.
export { Dialog360Api } from './credentials/Dialog360Api.credentials';
export { Dialog360 } from './nodes/Dialog360/Dialog360.node';
export { Dialog360Media } from './nodes/Dialog360Media/Dialog360Media.node';
export { Dialog360Account } from './nodes/Dialog360Account/Dialog360Account.node';
export { Dialog360Trigger } from './nodes/Dialog360Trigger/Dialog360Trigger.node';
