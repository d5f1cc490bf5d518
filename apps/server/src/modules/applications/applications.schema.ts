// The procedures' and applications' requests are the HTTP contract:
// packages/contracts/src/applications.ts and applications.schema.ts.

export {
  type ApplicationListQuery,
  type ApplicationStatusChange,
  type ApplicationUpdate,
  applicationAnswersSchema,
  applicationChannelQuery,
  applicationListQuery,
  applicationParams,
  applicationStartSchema,
  applicationStatusSchema,
  applicationSubmitSchema,
  applicationUpdateSchema,
  identityResultSchema,
  type ProcedureCreate,
  type ProcedureUpdate,
  procedureCreateSchema,
  procedureListQuery,
  procedureParams,
  procedureUpdateSchema,
} from '@madoguchi/contracts/applications.schema.ts';
