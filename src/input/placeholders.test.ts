import { describe, expect, it } from 'vitest';
import { fillTemplate, parseTemplate, placeholderFields, withoutPlaceholders } from './placeholders.js';

describe('placeholders', () => {
  it('finds {{ field }} with or without spaces, each name once', () => {
    expect(placeholderFields('/u/{{ id }}/{{user.name}}?x={{ id }}')).toEqual(['id', 'user.name']);
    expect(placeholderFields('{ id } {{ }} {{ a b }}')).toEqual([]);
  });

  it('fills every placeholder from the row, text around kept as written', () => {
    const t = parseTemplate('{"u": "{{ user }}", "n": {{n}}} {{ user }}');
    expect(fillTemplate(t, (f) => ({ user: 'al', n: '3' })[f])).toBe('{"u": "al", "n": 3} al');
  });

  it('leaves a field the row does not know as written, and text without placeholders as is', () => {
    expect(fillTemplate(parseTemplate('/a/{{ x }}'), () => undefined)).toBe('/a/{{ x }}');
    expect(fillTemplate(parseTemplate('/plain'), () => 'never')).toBe('/plain');
  });

  it('replaces placeholders to check the literal rest', () => {
    expect(withoutPlaceholders('/a/{{ id }} b', 'x')).toBe('/a/x b');
  });
});
