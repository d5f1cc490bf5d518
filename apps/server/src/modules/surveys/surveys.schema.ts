// The surveys' requests (Q-01 … Q-05) are the HTTP contract: packages/contracts/src/surveys.ts and
// surveys.schema.ts.

export {
  postalCodeParams,
  responseFileParams,
  responseListQuery,
  responseParams,
  responseUpdateSchema,
  type SurveyCreate,
  type SurveyUpdate,
  surveyAnswerSchema,
  surveyCreateSchema,
  surveyFileParams,
  surveyListQuery,
  surveyParams,
  surveyUpdateSchema,
} from '@madoguchi/contracts/surveys.schema.ts';
