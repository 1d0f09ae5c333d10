import type { ResourceRequester } from '../../transport/resource-request.js';

/** @internal The extended tier (aiGateway, workflows, logs, opportunities, roles); owned by its own module. */
export function createExtendedResources(_r: ResourceRequester) {
  return {};
}
