import { describe, expect, it } from 'vitest';
import { hubFileUrl, parseHubFileUrl, repoIdProblem } from './hub-url';

describe('hub URLs', () => {
  it('builds {host}/{repo}/resolve/{revision}/{file} with an encoded revision', () => {
    expect(hubFileUrl('https://huggingface.co/', 'Qwen/Qwen2.5-0.5B', 'main', 'config.json')).toBe(
      'https://huggingface.co/Qwen/Qwen2.5-0.5B/resolve/main/config.json',
    );
    expect(hubFileUrl('https://hf-mirror.com', 'gpt2', 'refs/pr/1', 'onnx/model file.onnx')).toBe(
      'https://hf-mirror.com/gpt2/resolve/refs%2Fpr%2F1/onnx/model%20file.onnx',
    );
  });

  it('parses what it builds, including a mirror under a path prefix', () => {
    for (const [host, repo, rev, file] of [
      ['https://huggingface.co', 'HuggingFaceTB/SmolLM2-135M', 'main', 'model.safetensors'],
      ['https://huggingface.co', 'gpt2', 'refs/pr/1', 'onnx/model file.onnx'],
      ['http://127.0.0.1:8080/hf', 'org/model', 'v1.0', 'config.json'],
    ]) {
      expect(parseHubFileUrl(hubFileUrl(host, repo, rev, file))).toEqual({
        host,
        repoId: repo,
        revision: rev,
        file,
      });
    }
  });

  it('returns null for URLs that are not hub file URLs', () => {
    expect(parseHubFileUrl('https://example.com/other.bin')).toBeNull();
    expect(parseHubFileUrl('https://huggingface.co/resolve/main/x')).toBeNull();
    expect(parseHubFileUrl('https://huggingface.co/org/model/resolve/main')).toBeNull();
    expect(parseHubFileUrl('not a url')).toBeNull();
  });

  it('validates repo ids by the hub’s rules', () => {
    expect(repoIdProblem('meta-llama/Llama-3.2-1B')).toBeNull();
    expect(repoIdProblem('gpt2')).toBeNull();
    expect(repoIdProblem('')).toBe('the repo id is empty');
    expect(repoIdProblem('org/.hidden')).toMatch(/is not a valid repo id/);
    expect(repoIdProblem(`org/${'a'.repeat(97)}`)).toMatch(/at most 96 characters/);
    expect(repoIdProblem(`org/${'a'.repeat(96)}`)).toBeNull();
  });
});
