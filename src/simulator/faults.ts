import type { ServerResponse } from 'node:http';

// The ways a real History Server misbehaves under load or mid-restart, injected per request.

export type Fault = 'ok' | 500 | 502 | 503 | 'hang' | 'truncate' | 'garbage' | 'reset';

export interface Answer {
  status: number;
  body: string;
  contentType: string;
}

/** Sends `answer`, bent by `fault`. A 'hang' answers nothing; the server's close() ends the socket. */
export function sendWithFault(res: ServerResponse, answer: Answer, fault: Fault | undefined): void {
  switch (fault) {
    case 500:
    case 502:
    case 503:
      return send(res, {
        status: fault,
        body: `<html><body><h2>HTTP ERROR ${fault}</h2></body></html>`,
        contentType: 'text/html',
      });
    case 'hang':
      return;
    case 'garbage':
      // What an SHS in a bad state (or a proxy login page) returns: 200 and HTML.
      return send(res, {
        status: 200,
        body: '<html><head><title>History Server</title></head><body>Loading…</body></html>',
        contentType: 'text/html',
      });
    case 'reset': {
      const socket = res.socket;
      if (socket && 'resetAndDestroy' in socket && typeof socket.resetAndDestroy === 'function')
        socket.resetAndDestroy();
      else socket?.destroy();
      return;
    }
    case 'truncate': {
      // A well-formed HTTP reply (chunked) whose JSON stops halfway: the parser, not the transport, fails.
      res.writeHead(answer.status, { 'content-type': answer.contentType });
      res.end(answer.body.slice(0, Math.floor(answer.body.length / 2)));
      return;
    }
    default:
      return send(res, answer);
  }
}

export function send(res: ServerResponse, a: Answer): void {
  res.writeHead(a.status, { 'content-type': a.contentType, 'content-length': Buffer.byteLength(a.body) });
  res.end(a.body);
}
