namespace Rlsc.Core.IO;

/// <summary>
/// Checks, before any work, that an output path can be written: a folder where a folder is expected, a file where a
/// file is, nothing on the way that is a file, and a parent this process may write in. Without it the run did all its
/// work and then died with an IOException or DirectoryNotFoundException (or, for a training run, at its first
/// checkpoint). Errors are RLSC008 and name the option, the path and the part of it that is in the way.
/// </summary>
public static class OutputPath
{
    /// <summary>Throws unless <paramref name="folder"/> is, or can be created as, a writable folder.</summary>
    /// <param name="option">How the user named it, e.g. "--output".</param>
    public static void RequireFolder(string folder, string option)
    {
        if (FolderProblem(folder, option) is { } problem)
            throw new RlscException(ErrorCodes.OutputPathUnusable, problem, folder);
    }

    /// <summary>Throws unless <paramref name="file"/> can be written (created or replaced).</summary>
    public static void RequireFile(string file, string option)
    {
        if (FileProblem(file, option) is { } problem)
            throw new RlscException(ErrorCodes.OutputPathUnusable, problem, file);
    }

    /// <summary>Why <paramref name="folder"/> cannot be written as a folder, or null when it can.</summary>
    public static string? FolderProblem(string folder, string option)
    {
        if (string.IsNullOrWhiteSpace(folder)) return $"{option} is empty; name a folder.";
        string full = Path.GetFullPath(folder);
        if (File.Exists(full)) return $"{option} '{folder}' is a file; expected a folder. Choose another path or move the file away.";
        return AncestorProblem(full, folder, option);
    }

    /// <summary>Why <paramref name="file"/> cannot be written as a file, or null when it can.</summary>
    public static string? FileProblem(string file, string option)
    {
        if (string.IsNullOrWhiteSpace(file)) return $"{option} is empty; name a file.";
        string full = Path.GetFullPath(file);
        if (Directory.Exists(full)) return $"{option} '{file}' is a folder; expected a file name, e.g. '{Path.Combine(file, "out")}'.";
        // A read-only file itself is no obstacle: AtomicFile replaces it by a rename, which only its folder decides.
        return AncestorProblem(Path.GetDirectoryName(full)!, file, option);
    }

    // Walks up to the nearest folder that exists: a file on the way makes the path impossible; otherwise that folder
    // must accept a new entry (the rest of the path is created inside it).
    static string? AncestorProblem(string start, string given, string option)
    {
        string? probe = start;
        while (probe is not null && !Directory.Exists(probe))
        {
            if (File.Exists(probe)) return $"{option} '{given}' cannot be created: '{probe}' is a file, not a folder.";
            probe = Path.GetDirectoryName(probe);
        }
        if (probe is null) return $"{option} '{given}': none of its parent folders exists.";
        return CanCreateIn(probe) ? null : $"{option} '{given}' cannot be written: this process may not write in '{probe}' (read-only or another user's). Choose another path.";
    }

    // The only reliable test of permission is trying: mode bits say nothing of ACLs, read-only mounts or root.
    static bool CanCreateIn(string folder)
    {
        string probe = Path.Combine(folder, $".rlsc-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
            return true;
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            return false;
        }
    }
}
