import { createSocket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import os from 'node:os';

// One RFC 5424 message as one UDP datagram (RFC 5426), e.g. to a central log server.

const FACILITY_LOG_AUDIT = 13;
const SEVERITY_INFO = 6;

export interface SyslogTarget {
  host: string;
  port: number;
}

// PRINTUSASCII without spaces, at most `max` characters; "-" when empty (RFC 5424 NILVALUE).
const header = (s: string, max: number) => s.replace(/[^\x21-\x7e]/g, '').slice(0, max) || '-';

export function formatSyslog(msgId: string, message: string, at = new Date()): string {
  const pri = FACILITY_LOG_AUDIT * 8 + SEVERITY_INFO;
  return `<${pri}>1 ${at.toISOString()} ${header(os.hostname(), 255)} madoguchi ${process.pid} ${header(msgId, 32)} - ${message}`;
}

export async function sendSyslog(target: SyslogTarget, datagram: string): Promise<void> {
  const socket = createSocket(isIPv6(target.host) ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.send(Buffer.from(datagram, 'utf8'), target.port, target.host, (err) =>
        err ? reject(err) : resolve(),
      );
    });
  } finally {
    socket.close();
  }
}
