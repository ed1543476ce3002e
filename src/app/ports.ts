/** The ports operator channels implement, re-exported so web and telegram depend on app alone. */
export { ChannelError, type ChannelMessage, type NotifierChannel } from '../actors/notifier-port.ts';
export type { TransitionRecord } from '../actors/transition-log.ts';
