import { ITEM_TYPES } from '@madoguchi/contracts/forms.ts';
import { z } from 'zod';
import type { FormItemType } from '../../db/schema.ts';

// The form engine's requests (G-01, G-11) are the HTTP contract: packages/contracts/src/forms.ts and
// forms.schema.ts.

export {
  type Answers,
  type AnswerValue,
  answersSchema,
  answerValueSchema,
  choiceIdSchema,
  choiceInputSchema,
  choiceOrderSchema,
  choiceParams,
  choicesAddSchema,
  choiceUpdateSchema,
  formParams,
  formUpdateSchema,
  type ItemCreate,
  type ItemUpdate,
  itemConfigSchema,
  itemCreateSchema,
  itemKeySchema,
  itemOrderSchema,
  itemParams,
  itemUpdateSchema,
  registrationPutSchema,
} from '@madoguchi/contracts/forms.schema.ts';
export {
  CHOICE_TYPES,
  FORM_LIMITS,
  ITEM_KEY_PATTERN,
  ITEM_TYPES,
  type ItemConfig,
} from '@madoguchi/contracts/forms.ts';

/** The contract's item types are the database's. */
ITEM_TYPES satisfies readonly FormItemType[];

export const channelQuery = z.object({ channelId: z.uuid('チャネル ID の形式が正しくありません') });
