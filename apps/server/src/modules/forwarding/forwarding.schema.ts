// Webhook forwarding's requests (W-01) are the HTTP contract: packages/contracts/src/forwarding.ts and
// forwarding.schema.ts.

export {
  channelQuery,
  type ItemListQuery,
  itemListQuery,
  itemParams,
  type TargetCreate,
  type TargetUpdate,
  targetCreateSchema,
  targetParams,
  targetUpdateSchema,
} from '@madoguchi/contracts/forwarding.schema.ts';
