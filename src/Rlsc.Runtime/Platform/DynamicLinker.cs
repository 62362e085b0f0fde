using System.Runtime.InteropServices;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// dlopen with flags the .NET loader does not offer: RTLD_NOW resolves every symbol at once (what `ldd -r`
/// checks), so a libLibTorchSharp built for another LibTorch fails here with the loader's "undefined symbol"
/// message instead of killing the process at its first call; RTLD_GLOBAL is what PyTorch itself uses for
/// libtorch_global_deps.so. libdl.so.2 exists on every glibc (a stub that forwards to libc from 2.34 on).
/// </summary>
internal static class DynamicLinker
{
    const int RtldLazy = 0x001, RtldNow = 0x002, RtldGlobal = 0x100;

    [DllImport("libdl.so.2", EntryPoint = "dlopen")]
    static extern IntPtr DlOpen([MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags);

    [DllImport("libdl.so.2", EntryPoint = "dlerror")]
    static extern IntPtr DlError();

    /// <summary>Loads <paramref name="path"/>; on failure returns false and the loader's message.</summary>
    public static bool TryOpen(string path, bool resolveAllNow, bool global, out IntPtr handle, out string error)
    {
        DlError();  // clear a stale message
        handle = DlOpen(path, (resolveAllNow ? RtldNow : RtldLazy) | (global ? RtldGlobal : 0));
        error = handle == IntPtr.Zero ? Marshal.PtrToStringUTF8(DlError())?.Trim() ?? "unknown dlopen error" : "";
        return handle != IntPtr.Zero;
    }
}
