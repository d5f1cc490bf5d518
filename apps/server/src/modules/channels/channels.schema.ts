import type { ChannelView as ChannelViewOf } from '@madoguchi/contracts/channels.ts';

// Requests and views of channels: the shapes are the HTTP contract (packages/contracts/src/channels.ts).

export {
  type ChannelCreate,
  type ChannelUpdate,
  channelCreateSchema,
  channelUpdateSchema,
} from '@madoguchi/contracts/channels.ts';

export type ChannelView = ChannelViewOf<Date>;
