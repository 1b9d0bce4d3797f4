/**
 * Adversarial inputs for a regular expression, built from its syntax tree (regexpp): for every
 * unbounded quantifier, the text that leads to it (a sample of everything before it) followed by
 * a long run of characters the quantifier accepts and a character that makes the match fail;
 * the lead and run repeated back to back (so every start position scans the run again); and for
 * every lookahead, the text before it repeated with what the lookahead looks for at the very end.
 * These are the shapes behind super-linear backtracking (nested or adjacent quantifiers over the
 * same characters, `.*` lookaheads, `\S*` after a prefix that occurs everywhere).
 */
import { RegExpParser } from '@eslint-community/regexpp';
import type { Alternative, Element, Node, Pattern } from '@eslint-community/regexpp/ast';

export interface AttackString {
  /** How the string was made, for failure messages. */
  label: string;
  text: string;
}

/** Quantifiers allowing more repetitions than this count as unbounded. */
const UNBOUNDED = 100;
/** Characters tried as the repeated run: spaces, Latin, Hangul, digits, punctuation. */
const CANDIDATES = [' ', '\t', 'a', 'A', 'x', '가', '죽', '1', '.', '-', '_', '@', '+', '!', ','];
/** Makes a match fail at the end of a run (matched by almost nothing in the lexicons). */
const BREAK = '\u0001';

const parser = new RegExpParser({ ecmaVersion: 2025 });

/** Attack strings of about `length` characters for the pattern. */
export function attackStrings(source: string, flags: string, length: number): AttackString[] {
  const ast = parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u') });
  const out = new Map<string, AttackString>();
  const add = (label: string, text: string) => {
    if (text.length >= 2 && !out.has(text)) out.set(text, { label, text });
  };
  const runOf = (unit: string) => unit.repeat(Math.max(1, Math.floor(length / unit.length)));

  walk(ast, '', (node, lead) => {
    if (node.type === 'Quantifier' && node.max > UNBOUNDED) {
      for (const unit of runUnits(node.element, flags)) {
        add(`${show(lead)} + ${show(unit)}×N + break`, lead + runOf(unit) + BREAK);
        if (lead) add(`(${show(lead)} + ${show(unit)})×N + break`, runOf(lead + unit) + BREAK);
      }
    }
    if (node.type === 'Assertion' && (node.kind === 'lookahead' || node.kind === 'lookbehind') && lead) {
      const looked = node.alternatives.map(sampleOf).find(Boolean) ?? '';
      add(`${show(lead)}×N + ${show(looked)}`, runOf(lead) + looked);
      add(`(${show(lead)} + space)×N + ${show(looked)}`, runOf(`${lead} `) + looked);
    }
  });
  // The whole sample repeated: every start position matches the beginning again.
  const whole = sampleOf(ast.alternatives[0]!);
  if (whole) {
    add(`${show(whole)}×N`, runOf(whole));
    add(`(${show(whole.slice(0, -1))})×N + break`, runOf(whole.slice(0, -1) || whole) + BREAK);
  }
  return [...out.values()];
}

/** Visits every node with the sample text that leads up to it inside the pattern. */
function walk(node: Node, lead: string, visit: (node: Node, lead: string) => void): void {
  visit(node, lead);
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
    case 'Assertion':
      if ('alternatives' in node) for (const alt of node.alternatives) walk(alt, lead, visit);
      return;
    case 'Alternative': {
      let before = lead;
      for (const element of node.elements) {
        walk(element, before, visit);
        before += sampleOf(element);
      }
      return;
    }
    case 'Quantifier':
      // Inside the loop the lead may already hold one pass of the element.
      walk(node.element, lead, visit);
      if (node.max > 1) walk(node.element, lead + sampleOf(node.element), visit);
      return;
    default:
      return;
  }
}

/** Units worth repeating for a quantified element: single characters it accepts, and its sample. */
function runUnits(element: Element, flags: string): string[] {
  const accepts = new RegExp(`^(?:${element.raw})$`, flags.replace(/[gy]/g, ''));
  const units = CANDIDATES.filter((c) => accepts.test(c));
  // Two different accepted characters alternating defeat `\b`-style boundaries between starts.
  if (units.length >= 2) {
    const word = units.find((c) => /\w/.test(c));
    const other = units.find((c) => !/\w/.test(c));
    if (word && other) units.push(word + other);
  }
  const sample = sampleOf(element);
  if (sample && accepts.test(sample)) units.push(sample);
  return units.slice(0, 8);
}

/** A short string the node matches (best effort; lookarounds and boundaries match ''). */
export function sampleOf(node: Node | Alternative | Pattern): string {
  switch (node.type) {
    case 'Pattern':
    case 'Group':
    case 'CapturingGroup':
      return node.alternatives.length ? sampleOf(node.alternatives[0]!) : '';
    case 'Alternative':
      return node.elements.map(sampleOf).join('');
    case 'Quantifier':
      return sampleOf(node.element).repeat(Math.min(node.min, 3));
    case 'Character':
      return String.fromCodePoint(node.value);
    case 'CharacterSet':
      if (node.kind === 'space') return node.negate ? 'a' : ' ';
      if (node.kind === 'digit') return node.negate ? 'a' : '1';
      if (node.kind === 'word') return node.negate ? ' ' : 'a';
      if (node.kind === 'any') return 'a';
      return 'a';
    case 'CharacterClass': {
      if (!node.negate) {
        const first = node.elements[0];
        if (first?.type === 'Character') return String.fromCodePoint(first.value);
        if (first?.type === 'CharacterClassRange') return String.fromCodePoint(first.min.value);
      }
      const re = new RegExp(node.raw, 'u');
      return CANDIDATES.find((c) => re.test(c)) ?? '';
    }
    default:
      return '';
  }
}

function show(text: string): string {
  const shown = JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
  return shown;
}
