// The fault reports' requests (R-01 … R-03) are the HTTP contract: packages/contracts/src/reports.ts and
// reports.schema.ts.

export {
  type CategoryCreate,
  type CategoryUpdate,
  categoryCreateSchema,
  categoryParams,
  categoryUpdateSchema,
  channelQuery,
  lineLocationAskSchema,
  photoParams,
  type ReportCreate,
  type ReportListQuery,
  type ReportUpdate,
  reportCreateSchema,
  reportListQuery,
  reportParams,
  reportUpdateSchema,
} from '@madoguchi/contracts/reports.schema.ts';
