// The Hugging Face hub's file URL scheme, `{host}/{repo}/resolve/{revision}/{file}`,
// built in one place and parsed back in one place (the model cache groups its
// entries by repo and revision from these URLs).

export const DEFAULT_HUB_HOST = 'https://huggingface.co';

// The hub's own rules for a repo name: letters, digits, '-', '_', '.', at
// most 96 characters, not starting or ending with '-' or '.', no '--' or
// '..'. Repo ids are "namespace/name", or a bare name for the few legacy
// canonical models ("gpt2").
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,94}[A-Za-z0-9_])?$/;

/** Returns null when `repoId` is a valid hub repo id, else the reason in words. */
export function repoIdProblem(repoId: string): string | null {
  const parts = repoId.split('/');
  if (repoId.trim() === '') return 'the repo id is empty';
  if (parts.length > 2) {
    return `"${repoId}" has more than one "/"; a repo id looks like "HuggingFaceTB/SmolLM2-135M"`;
  }
  for (const part of parts) {
    if (!NAME.test(part) || part.includes('--') || part.includes('..')) {
      return (
        `"${repoId}" is not a valid repo id (each part may use letters, digits, "-", "_" and ".", ` +
        'at most 96 characters, not starting or ending with "-" or ".")'
      );
    }
  }
  return null;
}

export function normaliseHost(host: string): string {
  return host.replace(/\/+$/, '');
}

/** The download URL of one file. Sub-folder names in `file` keep their slashes. */
export function hubFileUrl(host: string, repoId: string, revision: string, file: string): string {
  const path = file.split('/').map(encodeURIComponent).join('/');
  return `${normaliseHost(host)}/${repoId}/resolve/${encodeURIComponent(revision)}/${path}`;
}

export interface HubFileLocation {
  host: string;
  repoId: string;
  revision: string;
  file: string;
}

/** The inverse of hubFileUrl, or null for a URL that is not a hub file URL. */
export function parseHubFileUrl(url: string): HubFileLocation | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const segments = parsed.pathname.split('/').filter((s) => s !== '');
  const at = segments.indexOf('resolve');
  // A mirror may serve the hub under a path prefix, so "resolve" need not be
  // the 2nd/3rd segment; but the repo id is always the one or two before it.
  if (at < 1 || at + 2 >= segments.length) return null;
  const repoParts = segments.slice(Math.max(0, at - 2), at);
  const repoId = repoIdProblem(repoParts.join('/')) === null ? repoParts.join('/') : null;
  if (repoId === null) return null;
  const prefix = segments.slice(0, at - repoParts.length).join('/');
  return {
    host: `${parsed.origin}${prefix ? `/${prefix}` : ''}`,
    repoId: decodeURIComponent(repoId),
    revision: decodeURIComponent(segments[at + 1]),
    file: segments
      .slice(at + 2)
      .map((s) => decodeURIComponent(s))
      .join('/'),
  };
}
