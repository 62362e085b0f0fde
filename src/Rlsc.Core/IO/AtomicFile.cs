using System.Text;

namespace Rlsc.Core.IO;

/// <summary>
/// Writes a file so that readers see the old content or the new one, never a part: write to a temporary name
/// in the same folder, flush to disk, then rename over the target (atomic on the same file system).
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, stream =>
    {
        byte[] bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
        stream.Write(bytes);
    });

    public static void Write(string path, Action<FileStream> write)
    {
        string full = Path.GetFullPath(path);
        try
        {
            WriteAndRename(full, write);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && OutputPath.FileProblem(path, "the output file") is { } problem)
        {
            // The path, not the data, is at fault (a folder of that name, a file on the way, a read-only folder): say so.
            throw new RlscException(ErrorCodes.OutputPathUnusable, problem, path, inner: e);
        }
    }

    static void WriteAndRename(string full, Action<FileStream> write)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = $"{full}.tmp-{Environment.ProcessId}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }
}
