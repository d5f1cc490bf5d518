// Free text shown to people: the rule is part of the HTTP contract (packages/contracts/src/text.ts).
export { displayText } from '@madoguchi/contracts/text.ts';
