// Live progress: redrawn in place on a terminal, one plain line per change otherwise (logs, CI, pipes).
import logUpdate from 'log-update';

export interface LiveDisplay {
  update(text: string): void;
  done(text?: string): void;
}

export function liveDisplay(stream: NodeJS.WriteStream = process.stdout): LiveDisplay {
  if (stream.isTTY) {
    return {
      update: (text) => logUpdate(text),
      done: (text) => {
        if (text !== undefined) logUpdate(text);
        logUpdate.done();
      },
    };
  }
  let last = '';
  return {
    update: (text) => {
      if (text === last) return;
      last = text;
      stream.write(`${text}\n`);
    },
    done: (text) => {
      if (text !== undefined && text !== last) stream.write(`${text}\n`);
    },
  };
}
