using Rlsc.Core;
using System.Reflection;
using TorchSharp;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// External LibTorch mode (built with -p:TorchDevice=external: the TorchSharp package without any LibTorch package).
/// Before TorchSharp touches its native side, this loads LibTorch from RLSC_LIBTORCH by full path, so that
/// libLibTorchSharp's dependencies (libtorch.so, libc10.so, libtorch_cpu.so, needed by soname) resolve to the libraries
/// already in the process; libtorch_cuda.so, when present, registers CUDA as it loads. libLibTorchSharp itself is
/// loaded first with every symbol resolved (what `ldd -r` checks) so that one built for another LibTorch is one clear
/// error instead of TorchSharp's probe trace or a "symbol lookup error" that kills the process at its first call.
/// </summary>
public static class ExternalLibTorch
{
    /// <summary>The runtimeconfig.json switch the external build sets (Directory.Build.targets).</summary>
    public const string Switch = "Rlsc.ExternalLibTorch";
    /// <summary>Beside a libLibTorchSharp built by eng/libtorchsharp: the LibTorch version it was compiled against.</summary>
    public const string BuiltForSuffix = ".libtorch-version";

    static readonly object Gate = new();
    static ExternalLibTorchStatus? status;

    /// <summary>True when this application was built in external mode.</summary>
    public static bool IsExternalBuild => AppContext.TryGetSwitch(Switch, out bool on) && on;

    /// <summary>What was loaded, or null when not in external mode or not loaded yet.</summary>
    public static ExternalLibTorchStatus? Status => status;

    /// <summary>Loads the external LibTorch once; throws RLSC100 (not found) or RLSC101 (LibTorchSharp does not link).</summary>
    public static ExternalLibTorchStatus Load()
    {
        lock (Gate)
        {
            if (status is not null) return status;
            var location = LibTorchLocation.Resolve(Environment.GetEnvironmentVariable(LibTorchLocation.Variable));
            // PyTorch loads libtorch_global_deps.so RTLD_GLOBAL first (CUDA runtime libraries other libraries look up by name).
            string globalDeps = Path.Combine(location.Folder, "libtorch_global_deps.so");
            if (File.Exists(globalDeps)) Open(globalDeps, location, resolveAllNow: false, global: true);
            foreach (string name in new[] { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
            {
                string path = Path.Combine(location.Folder, name);
                if (File.Exists(path)) Open(path, location, resolveAllNow: false, global: false);
            }
            string sharp = LibTorchSharpPath();
            // TorchSharp then loads this same file by name (the handle stays valid: libraries are never unloaded).
            if (!DynamicLinker.TryOpen(sharp, resolveAllNow: true, global: false, out _, out string linkError))
                throw new RlscException(ErrorCodes.LibTorchSharpMismatch,
                    $"{sharp} does not link against the LibTorch in {location.Folder} ({location.Version ?? "version unknown"}): {linkError}. " +
                    $"It was built for LibTorch {BuiltFor(sharp)}. Build one for this LibTorch with eng/libtorchsharp/build.sh --install {Path.GetDirectoryName(sharp)}, " +
                    $"or point {LibTorchLocation.Variable} at LibTorch {BuiltFor(sharp)}.", sharp);
            return status = new ExternalLibTorchStatus(location, sharp, BuiltFor(sharp));
        }
    }

    static IntPtr Open(string path, LibTorchLocation location, bool resolveAllNow, bool global)
    {
        if (DynamicLinker.TryOpen(path, resolveAllNow, global, out IntPtr handle, out string error)) return handle;
        throw new RlscException(ErrorCodes.LibTorchNotFound,
            $"the LibTorch in {location.Folder} (from {location.Source}) does not load: {error}. " +
            "A CUDA LibTorch needs its CUDA libraries (for PyTorch wheels, the nvidia-* packages beside torch) and a driver; " +
            $"check with `ldd {path}`.", path);
    }

    /// <summary>
    /// The libLibTorchSharp beside the application: TorchSharp's probe loads "LibTorchSharp" from there by name and never
    /// asks a DllImport resolver, so one built for another LibTorch replaces that file (eng/libtorchsharp/build.sh --install).
    /// </summary>
    static string LibTorchSharpPath() =>
        NativeLibraryLocator.FindLibTorchSharp() ?? throw new RlscException(ErrorCodes.LibTorchNotFound,
            $"libLibTorchSharp.so is not beside the application ({AppContext.BaseDirectory}); reinstall rlsc, or build one with " +
            "eng/libtorchsharp/build.sh --install <that folder>.");

    /// <summary>
    /// The LibTorch TorchSharp 0.107.0's packaged libLibTorchSharp was compiled against (its build/Dependencies.props).
    /// A constant rather than torch.__version__: reading that runs TorchSharp's static initialiser, which loads natives.
    /// </summary>
    public const string PackagedLibTorchVersion = "2.10.0";

    /// <summary>
    /// The LibTorch a libLibTorchSharp was compiled against: its sidecar file (eng/libtorchsharp writes one), else the
    /// one the TorchSharp package was built with.
    /// </summary>
    internal static string BuiltFor(string libTorchSharp)
    {
        string sidecar = libTorchSharp + BuiltForSuffix;
        if (File.Exists(sidecar)) return File.ReadAllText(sidecar).Trim();
        string package = typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "?";
        return $"{PackagedLibTorchVersion} (the TorchSharp {package} package's)";
    }
}

/// <summary>What external mode loaded: the LibTorch, the libLibTorchSharp in use and the LibTorch that one was built for.</summary>
public sealed record ExternalLibTorchStatus(LibTorchLocation LibTorch, string LibTorchSharp, string LibTorchSharpBuiltFor)
{
    /// <summary>Whether the versions agree, as far as they are known: "2.10.0" matches "2.10.0+cpu" and "2.10.0 (…)".</summary>
    public bool? VersionsAgree => LibTorch.Version is null ? null
        : Core(LibTorch.Version) == Core(LibTorchSharpBuiltFor.Split(' ')[0]);

    static string Core(string v) => v.Split('+')[0].Trim();
}
