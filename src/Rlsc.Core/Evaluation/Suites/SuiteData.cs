namespace Rlsc.Core.Evaluation.Suites;

/// <summary>
/// Where a suite's JSONL comes from. Public suites name a mirror path, a public URL and the sha256 both must match
/// (resolved mirror → cache → verified download by <see cref="Rlsc.Core.Data.DataFiles"/>). Suites the project makes
/// itself name a <see cref="LocalPath"/> instead, relative to the checkout (sha256 optional, checked when given).
/// </summary>
public sealed record SuiteData
{
    /// <summary>Public source: raw.githubusercontent.com at a pinned commit.</summary>
    public string? Url { get; init; }

    /// <summary>Lower-case hex sha256 of the exact bytes.</summary>
    public string? Sha256 { get; init; }

    /// <summary>Path inside a local mirror (default "eval-data/&lt;name&gt;/test.jsonl").</summary>
    public string? MirrorPath { get; init; }

    /// <summary>A file in the repository (relative to the checkout root), for suites the project makes.</summary>
    public string? LocalPath { get; init; }

    /// <summary>The number of problems the file must hold; checked on every load when given.</summary>
    public int? Count { get; init; }

    public void Validate(string manifestPath)
    {
        bool local = !string.IsNullOrWhiteSpace(LocalPath);
        bool remote = !string.IsNullOrWhiteSpace(Url);
        if (local == remote)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid,
                "data needs exactly one of url (a public file, with sha256) or local_path (a file in the repository).", manifestPath);
        if (remote)
        {
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
                throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"data.url '{Url}' is not an https URL.", manifestPath);
            if (Sha256 is null)
                throw new RlscException(ErrorCodes.SuiteManifestInvalid, "data.sha256 is required with data.url, so that every copy is verified.", manifestPath);
        }
        if (Sha256 is not null && (Sha256.Length != 64 || !Sha256.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"data.sha256 '{Sha256}' is not 64 lower-case hex digits.", manifestPath);
        if (local && Path.IsPathRooted(LocalPath!))
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"data.local_path '{LocalPath}' must be relative to the repository root.", manifestPath);
        if (Count is < 1)
            throw new RlscException(ErrorCodes.SuiteManifestInvalid, $"data.count is {Count}; expected the number of problems (1 or more).", manifestPath);
    }
}
