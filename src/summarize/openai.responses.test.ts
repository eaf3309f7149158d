import { describe, expect, it } from 'vitest';
import {
  checkPromptRead,
  classifyReply,
  type ParsedCompletion,
  parseCompletion,
} from './openai.responses.ts';

const completion = (choice: unknown, extra: Record<string, unknown> = {}) => ({
  model: 'gpt-test',
  choices: [choice],
  ...extra,
});

describe('parseCompletion', () => {
  it('reads the text, the model and the usage', () => {
    const parsed = parseCompletion(
      completion(
        { message: { content: '  # Notes\n- a  ' }, finish_reason: 'stop' },
        { usage: { prompt_tokens: 10, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } } },
      ),
    );
    expect(parsed).toEqual({
      text: '# Notes\n- a',
      truncated: false,
      model: 'gpt-test',
      usage: { prompt_tokens: 10, completion_tokens: 3 },
    });
  });

  it.each(['length', 'max_tokens', 'model_length'])(
    'marks a reply that stopped with finish_reason %s as cut off',
    (reason) => {
      expect(
        parseCompletion(completion({ message: { content: '- a' }, finish_reason: reason })).truncated,
      ).toBe(true);
    },
  );

  it('does not mark a reply that stopped on its own or without a reason as cut off', () => {
    for (const reason of ['stop', 'eos', null, undefined]) {
      expect(
        parseCompletion(completion({ message: { content: '- a' }, finish_reason: reason })).truncated,
      ).toBe(false);
    }
  });

  it('returns empty text as a value for the caller to handle', () => {
    for (const content of ['  ', null, [], '<think>only thinking</think>']) {
      expect(parseCompletion(completion({ message: { content }, finish_reason: 'stop' })).text).toBe('');
    }
    expect(parseCompletion(completion({ finish_reason: 'stop' })).text).toBe('');
  });

  it('joins content parts, drops a <think> block and a code fence around the whole reply', () => {
    const parts = [
      { type: 'text', text: '<think>hmm</think>\n# A' },
      { type: 'text', text: '\n- b' },
    ];
    expect(parseCompletion(completion({ message: { content: parts } })).text).toBe('# A\n- b');
    expect(parseCompletion(completion({ message: { content: '```markdown\n# A\n```' } })).text).toBe('# A');
  });

  it('rejects no choices, a filtered reply and a non-completion as summary.bad_response', () => {
    for (const raw of [
      { model: 'm', choices: [] },
      completion({ message: { content: '' }, finish_reason: 'content_filter' }),
      'not json',
    ]) {
      expect(() => parseCompletion(raw)).toThrow(expect.objectContaining({ code: 'summary.bad_response' }));
    }
  });
});

describe('classifyReply', () => {
  it('tells notes from an empty reply', () => {
    expect(classifyReply('')).toBe('empty_reply');
    expect(classifyReply('## [00:01:00] Gradients\n- a gradient points uphill')).toBe('notes');
  });

  it('recognises the sentinel, bare or dressed up', () => {
    for (const text of [
      'NO_CONTENT',
      '`NO_CONTENT`',
      'no_content.',
      '**NO CONTENT**',
      'NO_CONTENT\n(music only)',
    ]) {
      expect(classifyReply(text)).toBe('nothing_to_summarize');
    }
  });

  it('recognises a short reply saying in words that there was nothing to summarize', () => {
    for (const text of [
      'There is nothing to summarize.',
      "I'm sorry, but there's nothing here worth taking notes on.",
      'The transcript does not contain any lecture content.',
      'This part of the transcript is empty.',
      'No lecture content to summarize.',
    ]) {
      expect(classifyReply(text), text).toBe('nothing_to_summarize');
    }
  });

  it('keeps short notes and long notes that happen to use those words', () => {
    expect(classifyReply('## [00:00:10] Admin\n- No new material today; the exam is next week.')).toBe(
      'notes',
    );
    const notes = `## [00:02:00] Regularisation\n- **dropout**: there is nothing to summarize about it beyond this\n${'- more detail\n'.repeat(20)}`;
    expect(classifyReply(notes)).toBe('notes');
  });
});

describe('checkPromptRead', () => {
  const read = (promptTokens: number | null): ParsedCompletion => ({
    text: 'x',
    truncated: false,
    model: undefined,
    usage: promptTokens === null ? null : { prompt_tokens: promptTokens, completion_tokens: 1 },
  });

  it('accepts a server count near ours, a small prompt and a server that reports nothing', () => {
    expect(() => checkPromptRead(read(9000), 10_000, 16_384)).not.toThrow();
    expect(() => checkPromptRead(read(10), 900, 16_384)).not.toThrow();
    expect(() => checkPromptRead(read(null), 10_000, 16_384)).not.toThrow();
    expect(() => checkPromptRead(read(0), 10_000, 16_384)).not.toThrow();
  });

  it('does not add cached tokens to prompt_tokens, which already counts them (OpenAI, vLLM)', () => {
    const reply = (promptTokens: number, cachedTokens: number) =>
      parseCompletion(
        completion(
          { message: { content: '- a' }, finish_reason: 'stop' },
          {
            usage: {
              prompt_tokens: promptTokens,
              completion_tokens: 1,
              prompt_tokens_details: { cached_tokens: cachedTokens },
            },
          },
        ),
      );
    // 9,500 read, 8,500 of them from the cache: the whole prompt.
    expect(() => checkPromptRead(reply(9500, 8500), 10_000, 16_384)).not.toThrow();
    // 5,000 read of 10,000 is a cut prompt, however many of the 5,000 came from the cache.
    expect(() => checkPromptRead(reply(5000, 4500), 10_000, 16_384)).toThrow(
      expect.objectContaining({ code: 'llm.context_exceeded' }),
    );
  });

  it('reports a prompt the server cut as llm.context_exceeded with both counts', () => {
    let error: unknown;
    try {
      checkPromptRead(read(2048), 9000, 16_384);
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'llm.context_exceeded', transient: false });
    const message = (error as Error).message;
    expect(message).toContain('2048');
    expect(message).toContain('9000');
    expect(message).toContain('LLM_CONTEXT_TOKENS (16384)');
    expect(message).toContain('OLLAMA_CONTEXT_LENGTH');
  });
});
