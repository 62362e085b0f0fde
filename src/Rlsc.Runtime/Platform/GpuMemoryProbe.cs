using System.Runtime.InteropServices;
using TorchSharp;

namespace Rlsc.Runtime.Platform;

/// <summary>
/// What benchmarks need from a GPU that TorchSharp 0.107 does not expose: a barrier before reading a clock
/// (torch.cuda.synchronize: kernels run asynchronously, so a stopwatch alone times the launches) and the device memory
/// in use. TorchSharp has no memory_allocated/memory_reserved (checked: no THSCuda memory entry points in 0.107), so
/// memory comes from NVML: the device's used bytes, i.e. the caching allocator's reserved memory plus the CUDA context
/// (and any other process on the device). Its maximum over the samples a benchmark takes approximates peak reserved
/// memory, since the caching allocator never returns memory unless asked.
/// </summary>
public static class GpuMemoryProbe
{
    /// <summary>Waits for the device's queued work when <paramref name="device"/> is CUDA; a no-op on the CPU.</summary>
    public static void Synchronize(torch.Device device)
    {
        if (device.type == DeviceType.CUDA) torch.cuda.synchronize(device);
    }

    /// <summary>Bytes in use on CUDA device <paramref name="index"/> according to NVML, or null without NVML (no driver, CPU).</summary>
    public static long? DeviceUsedBytes(int index = 0)
    {
        try
        {
            if (NvmlInit() != 0 || NvmlDeviceGetHandleByIndex((uint)index, out IntPtr handle) != 0) return null;
            return NvmlDeviceGetMemoryInfo(handle, out var memory) == 0 ? (long)memory.Used : null;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    struct NvmlMemory
    {
        public ulong Total, Free, Used;
    }

    [DllImport("libnvidia-ml.so.1", EntryPoint = "nvmlInit_v2")]
    static extern int NvmlInit();

    [DllImport("libnvidia-ml.so.1", EntryPoint = "nvmlDeviceGetHandleByIndex_v2")]
    static extern int NvmlDeviceGetHandleByIndex(uint index, out IntPtr device);

    [DllImport("libnvidia-ml.so.1", EntryPoint = "nvmlDeviceGetMemoryInfo")]
    static extern int NvmlDeviceGetMemoryInfo(IntPtr device, out NvmlMemory memory);
}
