namespace Rlsc.Core.Data;

/// <summary>
/// A public data file the project depends on (a benchmark's test.jsonl, a tokenizer file): where it lives in a
/// local mirror, where it comes from on the internet, and the sha256 that both must match.
/// </summary>
/// <param name="MirrorPath">Path inside the mirror folder, with '/' separators, e.g. "eval-data/aime24/test.jsonl".</param>
/// <param name="Url">Public source, used when neither the mirror nor the cache has the file.</param>
/// <param name="Sha256">Lower-case hex sha256 of the exact bytes.</param>
public sealed record DataSource(string MirrorPath, string Url, string Sha256);
