using System.Runtime.InteropServices;

namespace Rlsc.Runtime.Platform;

/// <summary>Finds TorchSharp's native libraries the way the .NET host lays them out.</summary>
public static class NativeLibraryLocator
{
    /// <summary>The libLibTorchSharp this process loaded (from /proc/self/maps), or null if none is loaded yet.</summary>
    public static string? LoadedLibTorchSharp() => LoadedLibrary("libLibTorchSharp.so");

    /// <summary>The C++ runtime this process loaded (the system's libstdc++ in practice).</summary>
    public static string? LoadedLibStdCxx() => LoadedLibrary("libstdc++.so.6");

    /// <summary>The libLibTorchSharp that the host would load: next to TorchSharp.dll or under runtimes/&lt;rid&gt;/native.</summary>
    public static string? FindLibTorchSharp()
    {
        string name = OperatingSystem.IsWindows() ? "LibTorchSharp.dll"
            : OperatingSystem.IsMacOS() ? "libLibTorchSharp.dylib" : "libLibTorchSharp.so";
        string baseDirectory = AppContext.BaseDirectory;
        string rid = RuntimeInformation.RuntimeIdentifier;
        string[] candidates =
        [
            Path.Combine(baseDirectory, name),
            Path.Combine(baseDirectory, "runtimes", rid, "native", name),
            Path.Combine(baseDirectory, "runtimes", PortableRid(), "native", name),
        ];
        return candidates.FirstOrDefault(File.Exists);
    }

    static string PortableRid()
    {
        string os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
        string arch = RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant();
        return $"{os}-{arch}";
    }

    /// <summary>The first mapped file whose name starts with <paramref name="fileName"/>, or null.</summary>
    internal static string? LoadedLibrary(string fileName)
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps)) return null;
        foreach (string line in File.ReadLines(maps))
        {
            int slash = line.IndexOf('/');
            if (slash < 0) continue;
            string path = line[slash..].Trim();
            // The loader maps the real file: libstdc++.so.6 is libstdc++.so.6.0.30 on Debian 12.
            if (Path.GetFileName(path).StartsWith(fileName, StringComparison.Ordinal)) return path;
        }
        return null;
    }
}
