// Requests of the counselor API (C-03 … C-11): the shapes are the HTTP contract
// (packages/contracts/src/consultation.ts).

export {
  closeSchema,
  consultationListQuery,
  counselorMessageSchema,
  outreachSchema,
  recordSchema,
  transferSchema,
} from '@madoguchi/contracts/consultation.ts';
