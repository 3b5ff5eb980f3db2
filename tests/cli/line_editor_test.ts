import { LineEditor } from "../../cli/line_editor.ts";
import { assertEquals } from "../_helpers.ts";

const UP = "\x1b[A";
const DOWN = "\x1b[B";
const LEFT = "\x1b[D";

function typeLine(editor: LineEditor, keys: string): string | null | undefined {
  const result = editor.feed(keys);
  if (result.done !== undefined) {
    if (result.done) editor.remember(result.done);
    editor.reset();
  }
  return result.done;
}

Deno.test("LineEditor recalls earlier lines with up/down and restores the draft", () => {
  const editor = new LineEditor("> ");
  assertEquals(typeLine(editor, "first\r"), "first");
  assertEquals(typeLine(editor, "second\r"), "second");
  editor.feed("dra");
  editor.feed(UP);
  assertEquals(editor.line, "second");
  editor.feed(UP);
  assertEquals(editor.line, "first");
  editor.feed(UP); // no earlier line: stays
  assertEquals(editor.line, "first");
  editor.feed(DOWN + DOWN);
  assertEquals(editor.line, "dra");
  assertEquals(typeLine(editor, UP + "\r"), "second");
});

Deno.test("LineEditor edits in the middle of the line and handles deletion keys", () => {
  const editor = new LineEditor("> ");
  editor.feed("helo" + LEFT);
  editor.feed("l");
  assertEquals(editor.line, "hello");
  editor.feed("\x01X"); // Ctrl-A, then insert at the start
  assertEquals(editor.line, "Xhello");
  editor.feed("\x05\x7f"); // Ctrl-E, backspace
  assertEquals(editor.line, "Xhell");
  editor.feed("\x01\x1b[3~"); // start, Delete
  assertEquals(editor.line, "hell");
  editor.feed("\x1b[C\x1b[C\x0b"); // right, right, Ctrl-K
  assertEquals(editor.line, "he");
  editor.feed("\x15"); // Ctrl-U
  assertEquals(editor.line, "");
});

Deno.test("LineEditor: Ctrl-C abandons the line, Ctrl-D ends input only when empty", () => {
  const editor = new LineEditor("> ");
  assertEquals(typeLine(editor, "abc\x03"), "");
  assertEquals(editor.line, "");
  editor.feed("x");
  assertEquals(editor.feed("\x01\x04").done, undefined); // deletes, not EOF
  assertEquals(editor.line, "");
  assertEquals(editor.feed("\x04").done, null);
});

Deno.test("LineEditor keeps an escape sequence split across reads and keeps input after Enter", () => {
  const editor = new LineEditor("> ");
  typeLine(editor, "one\r");
  editor.feed("\x1b[");
  editor.feed("A");
  assertEquals(editor.line, "one");
  editor.reset();
  const first = editor.feed("a\rb");
  assertEquals(first.done, "a");
  editor.reset();
  assertEquals(editor.feed("\r").done, "b");
});

Deno.test("LineEditor redraws the prompt and line with the cursor in place", () => {
  const editor = new LineEditor("> ");
  const { output } = editor.feed("ab" + LEFT);
  assertEquals(
    output.endsWith("\r> ab\x1b[K\x1b[1D"),
    true,
    JSON.stringify(output),
  );
});
