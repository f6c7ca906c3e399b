// Where a JSON config file breaks, in words that quote none of it. V8's own message for a syntax error quotes the
// text around the error (`Unexpected token 'h', ..."password": hunter2"... is not valid JSON`), and a config file
// holds passwords and API keys, while an error message ends up in terminals and CI logs. Node 20's message gives no
// line either, so the text is scanned again, by JSON's grammar (RFC 8259), only once JSON.parse has refused it.

export interface JsonSyntaxProblem {
  /** 1-based, as editors count. */
  line: number;
  /** 1-based, in characters. */
  column: number;
  problem: string;
}

class Stop {
  constructor(
    readonly at: number,
    readonly problem: string,
  ) {}
}

const LITERALS = ['true', 'false', 'null'];
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** The first syntax error in `text`, undefined when there is none (or the nesting is too deep to follow). */
export function jsonSyntaxProblem(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const fail = (problem: string, at = i): never => {
    throw new Stop(at, at >= text.length ? 'the file ends before the JSON value is complete' : problem);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const string = () => {
    const start = i++;
    for (;;) {
      if (i >= text.length) fail('the string that starts here is not closed', start);
      const c = text.charCodeAt(i);
      if (c === 0x22) return void i++;
      if (c < 0x20) fail('a string holds a line break or control character (write it as an escape)');
      if (c === 0x5c) {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('a \\u escape needs four hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('an unknown escape in a string');
      } else i++;
    }
  };
  const number = () => {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (!m) fail('a value is expected here (a string in double quotes, a number, true, false, null, [ or {)');
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    const word = LITERALS.find((l) => text.startsWith(l, i));
    if (word) {
      i += word.length;
      return;
    }
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    fail(
      c === "'"
        ? 'strings take double quotes in JSON'
        : 'a value is expected here (a string in double quotes, a number, true, false, null, [ or {)',
    );
  };
  const object = () => {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"')
        fail(text[i] === '}' ? 'a comma before } (JSON allows none)' : 'a property name in double quotes is expected');
      string();
      ws();
      if (text[i] !== ':') fail("':' is expected after a property name");
      i++;
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === '}') return void i++;
      else fail("',' or '}' is expected after a property's value");
    }
  };
  const array = () => {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      ws();
      if (text[i] === ']') fail('a comma before ] (JSON allows none)');
      value();
      ws();
      if (text[i] === ',') i++;
      else if (text[i] === ']') return void i++;
      else fail("',' or ']' is expected after a value in a list");
    }
  };
  try {
    value();
    ws();
    if (i < text.length) fail('more text after the end of the JSON value');
    return undefined;
  } catch (e) {
    if (!(e instanceof Stop)) return undefined; // nested past the stack: no place to name
    return { ...lineAndColumn(text, e.at), problem: e.problem };
  }
}

function lineAndColumn(text: string, at: number): { line: number; column: number } {
  const before = text.slice(0, at);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}
