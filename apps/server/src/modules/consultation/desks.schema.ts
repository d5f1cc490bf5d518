// Desks (相談窓口) as staff configure them (C-08): the shapes are the HTTP contract
// (packages/contracts/src/consultation.ts).

export {
  type DeskInput,
  deskInputSchema,
  deskUpdateSchema,
} from '@madoguchi/contracts/consultation.ts';
