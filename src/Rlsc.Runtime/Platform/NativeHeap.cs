using System.Runtime.InteropServices;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// Tunes glibc's malloc, which libtorch's CPU allocator uses, for a process that allocates and frees the same large
/// tensors every step. By default glibc serves each block above its mmap threshold (at most 32 MB) with a fresh
/// mmap and returns it with munmap on free, and gives the top of the heap back to the kernel past the trim
/// threshold: every pass then faults in (and the kernel zeroes) hundreds of MB again. Measured on the 2-core
/// machine, `rlsc bench finetune` spent 22 s in the kernel for 134 s of user time. With mmap off for malloc and
/// trimming off, freed blocks stay in the heap and are reused: the peak resident memory is the same, it is just
/// not handed back between passes. Linux with glibc only; elsewhere (musl, macOS, Windows) nothing changes.
/// Set RLSC_NATIVE_HEAP=default to keep glibc's behaviour.
/// </summary>
public static class NativeHeap
{
    // glibc <malloc.h>
    const int M_TRIM_THRESHOLD = -1, M_MMAP_MAX = -4;

    static readonly object Gate = new();
    static bool? applied;

    /// <summary>Whether the tuning is in effect in this process (after <see cref="KeepFreedMemory"/>).</summary>
    public static bool Applied => applied == true;

    /// <summary>Keeps freed native memory in the process for reuse; idempotent; false where it does not apply.</summary>
    public static bool KeepFreedMemory()
    {
        lock (Gate)
        {
            if (applied is bool done) return done;
            applied = false;
            if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("RLSC_NATIVE_HEAP") == "default") return false;
            try
            {
                // Both calls return 1 on success; mallopt itself is glibc's (musl has no such tunables).
                applied = mallopt(M_MMAP_MAX, 0) == 1 && mallopt(M_TRIM_THRESHOLD, int.MaxValue) == 1;
            }
            catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
            {
                applied = false;
            }
            return applied.Value;
        }
    }

    [DllImport("libc", EntryPoint = "mallopt")]
    static extern int mallopt(int param, int value);
}
