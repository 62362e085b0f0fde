using System.Runtime.InteropServices;
using Rlsc.Core;
using TorchSharp;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// Loads TorchSharp's native backend once, and turns a failure into one short, clear error instead
/// of TorchSharp's whole probe trace.
/// </summary>
public static class TorchLoader
{
    static readonly object Gate = new();
    static bool loaded;

    /// <summary>Makes sure libtorch is loaded; throws <see cref="RlscException"/> (RLSC005) if it cannot be.</summary>
    public static void EnsureLoaded()
    {
        lock (Gate)
        {
            if (loaded) return;
            // External mode: LibTorch comes from RLSC_LIBTORCH and must be in the process before TorchSharp probes.
            // The other builds carry their own LibTorch, which a second one from RLSC_LIBTORCH would clash with.
            if (ExternalLibTorch.IsExternalBuild)
                ExternalLibTorch.Load();
            else if (Environment.GetEnvironmentVariable(LibTorchLocation.Variable) is { Length: > 0 } setting)
                throw new RlscException(ErrorCodes.LibTorchNotFound,
                    $"{LibTorchLocation.Variable} is set ({setting}), but this rlsc carries its own LibTorch (built with the TorchSharp-cpu or " +
                    "TorchSharp-cuda-linux package). Unset it, or build with -p:TorchDevice=external to use that LibTorch.");
            try
            {
                // Touching any tensor runs TorchSharp's static initialiser, which loads the native libraries.
                using var probe = torch.zeros(1);
                loaded = true;
            }
            catch (Exception e) when (e is TypeInitializationException or NotSupportedException or DllNotFoundException)
            {
                throw new RlscException(ErrorCodes.TorchUnavailable,
                    "TorchSharp could not load its native library: " + DescribeLoadFailure() +
                    " Run `rlsc doctor` for details; docs/troubleshooting.md lists the known causes.", inner: e);
            }
        }
    }

    /// <summary>
    /// Asks the dynamic loader directly why libLibTorchSharp cannot be loaded: its message (for example
    /// "version `GLIBCXX_3.4.32' not found") is the one line the user needs.
    /// </summary>
    public static string DescribeLoadFailure()
    {
        string? path = NativeLibraryLocator.FindLibTorchSharp();
        if (path is null)
            return "libLibTorchSharp was not found next to TorchSharp.dll: the project references TorchSharp without a " +
                   "backend package (TorchSharp-cpu, or TorchSharp-cuda-linux with -p:TorchDevice=cuda).";
        try
        {
            NativeLibrary.Free(NativeLibrary.Load(path));
            return $"{path} loads on its own, so one of its dependencies failed inside TorchSharp.";
        }
        catch (DllNotFoundException e)
        {
            return e.Message.Trim();
        }
    }
}
