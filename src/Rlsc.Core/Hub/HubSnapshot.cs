namespace Rlsc.Core.Hub;

/// <summary>A model fetched from the hub (or found in the cache): the snapshot folder that holds its files.</summary>
/// <param name="RepoId">"Qwen/Qwen2.5-Math-7B".</param>
/// <param name="Commit">The commit the files are from.</param>
/// <param name="Folder">snapshots/&lt;commit&gt; in the cache: pass it as a model folder.</param>
/// <param name="Files">The repository files it holds.</param>
/// <param name="Warnings">What the user should know (custom code ignored, cache used while the hub was unreachable).</param>
/// <param name="FromCacheOnly">True when the hub was not asked (offline) or not reachable.</param>
public sealed record HubSnapshot(string RepoId, string Commit, string Folder, IReadOnlyList<string> Files, IReadOnlyList<string> Warnings, bool FromCacheOnly);
