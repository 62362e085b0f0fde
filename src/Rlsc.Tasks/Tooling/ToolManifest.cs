using System.Text.Json;

namespace Rlsc.Tasks.Tooling;

/// <summary>
/// Reads .NET local tool manifests (<c>.config/dotnet-tools.json</c> or <c>dotnet-tools.json</c>) the way
/// <c>dotnet tool run</c> finds them: from a folder upwards, stopping after a manifest marked
/// <c>"isRoot": true</c>.
/// </summary>
internal static class ToolManifest
{
    /// <summary>The first manifest, from <paramref name="start"/> upwards, that declares <paramref name="command"/>; null when none does.</summary>
    public static string? FindDeclaring(string start, string command)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            foreach (string candidate in new[] { Path.Combine(dir.FullName, ".config", "dotnet-tools.json"), Path.Combine(dir.FullName, "dotnet-tools.json") })
            {
                if (!File.Exists(candidate)) continue;
                var (declares, isRoot) = Read(candidate, command);
                if (declares) return candidate;
                if (isRoot) return null;
            }
        }
        return null;
    }

    /// <summary>Whether the manifest declares the command, and whether it stops the upward search.</summary>
    static (bool Declares, bool IsRoot) Read(string manifest, string command)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            bool isRoot = root.TryGetProperty("isRoot", out var r) && r.ValueKind == JsonValueKind.True;
            bool declares = false;
            if (root.TryGetProperty("tools", out var tools) && tools.ValueKind == JsonValueKind.Object)
                foreach (var tool in tools.EnumerateObject())
                    if (tool.Value.TryGetProperty("commands", out var commands) && commands.ValueKind == JsonValueKind.Array)
                        declares |= commands.EnumerateArray().Any(c => c.ValueKind == JsonValueKind.String && c.GetString() == command);
            return (declares, isRoot);
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            // An unreadable manifest is dotnet's to report; for finding rlsc it simply declares nothing.
            return (false, false);
        }
    }
}
