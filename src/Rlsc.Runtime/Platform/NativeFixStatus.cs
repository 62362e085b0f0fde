using Rlsc.NativeFix;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// Whether the loaded libLibTorchSharp needed the build's GLIBCXX_3.4.32 fix (eng/NativeFix) and carries it.
/// </summary>
public sealed record NativeFixStatus(string? Library, bool RequiresVersion, bool MarkedWeak, bool SystemProvides, string? NewestSystemVersion)
{
    public const string Version = "GLIBCXX_3.4.32";

    public bool Needed => RequiresVersion && !SystemProvides;

    /// <summary>Reads the library this process loaded and the libstdc++ it loaded with it.</summary>
    public static NativeFixStatus Inspect()
    {
        string? library = NativeLibraryLocator.LoadedLibTorchSharp() ?? NativeLibraryLocator.FindLibTorchSharp();
        if (library is null || !OperatingSystem.IsLinux())
            return new NativeFixStatus(library, false, false, false, null);
        var need = ElfVersionNeeds.Read(library).FirstOrDefault(n => n.Version == Version);
        string? libstdcxx = NativeLibraryLocator.LoadedLibStdCxx();
        var defined = libstdcxx is null ? [] : ElfVersionNeeds.ReadDefinitions(libstdcxx);
        string? newest = defined.Where(v => v.StartsWith("GLIBCXX_3.4", StringComparison.Ordinal))
            .OrderBy(v => v, Comparer<string>.Create(CompareVersionNames)).LastOrDefault();
        return new NativeFixStatus(library, need is not null, need?.IsWeak ?? false, defined.Contains(Version), newest);
    }

    public string Describe() => (RequiresVersion, SystemProvides, MarkedWeak) switch
    {
        (false, _, _) => $"not needed: this libLibTorchSharp does not ask for {Version}",
        (true, true, true) => $"not needed here (the system libstdc++ provides {Version}); applied, harmless",
        (true, true, false) => $"not needed here (the system libstdc++ provides {Version})",
        (true, false, true) => $"needed and applied: the system libstdc++ stops at {NewestSystemVersion ?? "an older version"}, so {Version} is marked weak",
        (true, false, false) => $"needed but missing: {Version} is required and the system libstdc++ lacks it; rebuild (the build applies the fix)",
    };

    static int CompareVersionNames(string a, string b)
    {
        static int[] Parts(string v) => v[(v.IndexOf('_') + 1)..].Split('.').Select(p => int.TryParse(p, out int n) ? n : 0).ToArray();
        int[] x = Parts(a), y = Parts(b);
        for (int i = 0; i < Math.Max(x.Length, y.Length); i++)
        {
            int c = (i < x.Length ? x[i] : 0).CompareTo(i < y.Length ? y[i] : 0);
            if (c != 0) return c;
        }
        return 0;
    }
}
