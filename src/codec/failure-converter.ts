// Loaded by path (the worker also bundles it into the workflow sandbox): failure messages and stack traces can quote
// inputs, so they are moved into an encoded payload like everything else.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
