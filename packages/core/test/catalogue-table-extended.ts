/** Conformance rows of the extended tier (aiGateway, workflows, logs, opportunities, roles); owned by the extended catalogue. */
import type { CatalogueRow } from './catalogue-row.js';

export const extendedRows: readonly CatalogueRow[] = [];
