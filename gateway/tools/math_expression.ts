/**
 * A small arithmetic language, parsed by a tokenizer and a recursive-descent
 * parser (never `eval`): numbers, `+ - * / %`, `^` (right-associative),
 * unary minus, parentheses, the constants `pi` and `e`, and the functions
 * `sqrt abs sin cos tan asin acos atan ln log log10 log2 exp floor ceil round
 * min max pow`.
 *
 * @module
 */
import { CaraError } from "../errors.ts";

/** The longest expression accepted, in characters. */
export const MAX_EXPRESSION_CHARS = 1000;
const MAX_DEPTH = 100;

type Token =
  | { kind: "num"; value: number }
  | { kind: "name"; value: string }
  | { kind: "op"; value: string };

const FUNCTIONS: Record<string, (...args: number[]) => number> = {
  sqrt: Math.sqrt,
  abs: Math.abs,
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  ln: Math.log,
  log: Math.log10,
  log10: Math.log10,
  log2: Math.log2,
  exp: Math.exp,
  floor: Math.floor,
  ceil: Math.ceil,
  round: Math.round,
  min: Math.min,
  max: Math.max,
  pow: Math.pow,
};
const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

function fail(problem: string): CaraError {
  return new CaraError(
    "invalid_expression",
    `Cannot evaluate expression: ${problem}`,
  );
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern =
    /\s*(?:(\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(\*\*|[-+*/%^(),]))/y;
  let index = 0;
  while (index < text.length) {
    if (/^\s*$/.test(text.slice(index))) break;
    pattern.lastIndex = index;
    const match = pattern.exec(text);
    if (match === null) {
      throw fail(
        `unexpected character "${text.slice(index).trim()[0]}" at position ${
          index + 1
        }`,
      );
    }
    index = pattern.lastIndex;
    if (match[1] !== undefined) {
      tokens.push({ kind: "num", value: Number(match[1]) });
    } else if (match[2] !== undefined) {
      tokens.push({ kind: "name", value: match[2].toLowerCase() });
    } else {tokens.push({
        kind: "op",
        value: match[3] === "**" ? "^" : match[3]!,
      });}
  }
  return tokens;
}

class Parser {
  #tokens: Token[];
  #at = 0;
  #depth = 0;
  constructor(tokens: Token[]) {
    this.#tokens = tokens;
  }

  parse(): number {
    const value = this.#sum();
    if (this.#at < this.#tokens.length) {
      throw fail(`unexpected "${this.#show()}"`);
    }
    return value;
  }

  #show(): string {
    const token = this.#tokens[this.#at];
    return token === undefined ? "end of input" : String(token.value);
  }

  #eat(op: string): boolean {
    const token = this.#tokens[this.#at];
    if (token?.kind === "op" && token.value === op) {
      this.#at++;
      return true;
    }
    return false;
  }

  #sum(): number {
    let value = this.#product();
    for (;;) {
      if (this.#eat("+")) value += this.#product();
      else if (this.#eat("-")) value -= this.#product();
      else return value;
    }
  }

  #product(): number {
    let value = this.#unary();
    for (;;) {
      if (this.#eat("*")) value *= this.#unary();
      else if (this.#eat("/")) value /= this.#unary();
      else if (this.#eat("%")) value %= this.#unary();
      else return value;
    }
  }

  #unary(): number {
    if (++this.#depth > MAX_DEPTH) throw fail("nested too deeply");
    try {
      if (this.#eat("-")) return -this.#unary();
      if (this.#eat("+")) return this.#unary();
      return this.#power();
    } finally {
      this.#depth--;
    }
  }

  #power(): number {
    const base = this.#atom();
    return this.#eat("^") ? base ** this.#unary() : base;
  }

  #atom(): number {
    const token = this.#tokens[this.#at];
    if (token === undefined) throw fail("unexpected end of input");
    this.#at++;
    if (token.kind === "num") return token.value;
    if (token.kind === "op" && token.value === "(") {
      const value = this.#sum();
      if (!this.#eat(")")) {
        throw fail(`expected ")" but found "${this.#show()}"`);
      }
      return value;
    }
    if (token.kind === "name") return this.#name(token.value);
    throw fail(`unexpected "${token.value}"`);
  }

  #name(name: string): number {
    const fn = Object.hasOwn(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
    if (fn === undefined) {
      if (Object.hasOwn(CONSTANTS, name)) return CONSTANTS[name]!;
      throw fail(
        `unknown name "${name}"; known: ${Object.keys(CONSTANTS).join(", ")}, ${
          Object.keys(FUNCTIONS).join(", ")
        }`,
      );
    }
    if (!this.#eat("(")) throw fail(`expected "(" after "${name}"`);
    const args: number[] = [];
    if (!this.#eat(")")) {
      do args.push(this.#sum()); while (this.#eat(","));
      if (!this.#eat(")")) {
        throw fail(`expected ")" after the arguments of "${name}"`);
      }
    }
    return fn(...args);
  }
}

/**
 * Evaluates an arithmetic expression.
 *
 * @throws {CaraError} `invalid_expression` for syntax errors, unknown names
 *   and over-long input
 * @example
 * ```ts
 * evaluateExpression("2 ^ 3 ^ 2"); // 512
 * ```
 */
export function evaluateExpression(text: string): number {
  if (text.length > MAX_EXPRESSION_CHARS) {
    throw fail(
      `it has ${text.length} characters; the limit is ${MAX_EXPRESSION_CHARS}`,
    );
  }
  const tokens = tokenize(text);
  if (tokens.length === 0) throw fail("it is empty");
  return new Parser(tokens).parse();
}
