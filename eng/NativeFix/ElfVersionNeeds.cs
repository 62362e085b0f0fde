// Reads and edits the symbol-version requirements (.gnu.version_r) of an ELF64 shared library.
//
// Why this exists: libLibTorchSharp.so from TorchSharp 0.107 asks for GLIBCXX_3.4.32 (GCC 13's
// libstdc++) only because <iostream> references std::ios_base_library_init to pin the library version;
// the function is never called. Debian 12 and Ubuntu 22.04 ship GCC 12's libstdc++ (up to 3.4.30),
// so the dynamic loader refuses the library. Setting VER_FLG_WEAK on that one requirement turns the
// refusal into a silent pass; nothing else in the file changes.
//
// This file is compiled twice: by MSBuild's RoslynCodeTaskFactory (eng/NativeFix/NativeFix.targets,
// together with the task at the bottom) and into Rlsc.Runtime (RLSC_RUNTIME defined) so that
// `rlsc doctor` can report whether the loaded library carries the fix.
#nullable enable
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace Rlsc.NativeFix
{
    /// <summary>One entry of .gnu.version_r: a version that a library needs from another one.</summary>
    public sealed class ElfVersionNeed
    {
        public ElfVersionNeed(string file, string version, ushort flags, long flagsOffset)
        {
            File = file;
            Version = version;
            Flags = flags;
            FlagsOffset = flagsOffset;
        }

        /// <summary>The library the version is needed from, for example libstdc++.so.6.</summary>
        public string File { get; }
        public string Version { get; }
        public ushort Flags { get; }
        /// <summary>Byte offset of vna_flags in the file.</summary>
        public long FlagsOffset { get; }
        public bool IsWeak => (Flags & ElfVersionNeeds.VerFlagWeak) != 0;
    }

    public static class ElfVersionNeeds
    {
        public const ushort VerFlagWeak = 0x2;
        const uint ShtGnuVerneed = 0x6ffffffe;
        const uint ShtGnuVerdef = 0x6ffffffd;

        /// <summary>Lists the version requirements of an ELF64 little-endian file.</summary>
        public static IReadOnlyList<ElfVersionNeed> Read(string path)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            var needs = new List<ElfVersionNeed>();
            foreach (var section in Sections(elf, path))
            {
                if (section.Type != ShtGnuVerneed) continue;
                var strtab = SectionAt(elf, path, (int)section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    ushort count = U16(elf, entry + 2, path);
                    string file = CString(elf, strtab.Offset + U32(elf, entry + 4, path), path);
                    long aux = entry + U32(elf, entry + 8, path);
                    for (int j = 0; j < count; j++)
                    {
                        ushort flags = U16(elf, aux + 4, path);
                        string name = CString(elf, strtab.Offset + U32(elf, aux + 8, path), path);
                        needs.Add(new ElfVersionNeed(file, name, flags, aux + 4));
                        aux += U32(elf, aux + 12, path);
                    }
                    uint next = U32(elf, entry + 12, path);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return needs;
        }

        /// <summary>Lists the versions a library defines (.gnu.version_d), for example GLIBCXX_3.4.30.</summary>
        public static IReadOnlyList<string> ReadDefinitions(string path)
        {
            byte[] elf = System.IO.File.ReadAllBytes(path);
            var versions = new List<string>();
            foreach (var section in Sections(elf, path))
            {
                if (section.Type != ShtGnuVerdef) continue;
                var strtab = SectionAt(elf, path, (int)section.Link);
                long entry = section.Offset;
                for (uint i = 0; i < section.Info; i++)
                {
                    long aux = entry + U32(elf, entry + 12, path);
                    versions.Add(CString(elf, strtab.Offset + U32(elf, aux, path), path));
                    uint next = U32(elf, entry + 16, path);
                    if (next == 0) break;
                    entry += next;
                }
            }
            return versions;
        }

        /// <summary>
        /// Copies <paramref name="source"/> to <paramref name="destination"/> with the requirement
        /// <paramref name="version"/> marked weak. Writes a temporary file and renames it, so a reader
        /// never sees half a library. Returns false when the source does not need that version.
        /// </summary>
        public static bool WriteWithWeakVersion(string source, string destination, string version)
        {
            byte[] elf = System.IO.File.ReadAllBytes(source);
            bool found = false;
            foreach (var need in Read(source))
            {
                if (need.Version != version) continue;
                found = true;
                ushort flags = (ushort)(need.Flags | VerFlagWeak);
                elf[need.FlagsOffset] = (byte)(flags & 0xff);
                elf[need.FlagsOffset + 1] = (byte)(flags >> 8);
            }
            string? folder = Path.GetDirectoryName(Path.GetFullPath(destination));
            if (folder != null) Directory.CreateDirectory(folder);
            string temporary = destination + ".tmp-" + Guid.NewGuid().ToString("N");
            System.IO.File.WriteAllBytes(temporary, elf);
            // netstandard2.0 (what MSBuild's code task factory compiles against) has no
            // File.Move(..., overwrite); File.Replace is a rename on Unix.
            if (System.IO.File.Exists(destination)) System.IO.File.Replace(temporary, destination, null);
            else System.IO.File.Move(temporary, destination);
            return found;
        }

        readonly struct Section
        {
            public Section(uint type, long offset, uint link, uint info)
            {
                Type = type; Offset = offset; Link = link; Info = info;
            }
            public uint Type { get; }
            public long Offset { get; }
            public uint Link { get; }
            public uint Info { get; }
        }

        static IEnumerable<Section> Sections(byte[] elf, string path)
        {
            // e_ident: 0x7f 'E' 'L' 'F', class 2 (64-bit), data 1 (little-endian).
            if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
                throw new InvalidDataException($"{path}: not an ELF file.");
            if (elf[4] != 2 || elf[5] != 1)
                throw new InvalidDataException($"{path}: only 64-bit little-endian ELF files are supported.");
            long tableOffset = (long)U64(elf, 0x28, path);
            ushort entrySize = U16(elf, 0x3A, path);
            ushort count = U16(elf, 0x3C, path);
            for (int i = 0; i < count; i++)
            {
                long header = tableOffset + (long)i * entrySize;
                yield return new Section(U32(elf, header + 4, path), (long)U64(elf, header + 0x18, path),
                    U32(elf, header + 0x28, path), U32(elf, header + 0x2C, path));
            }
        }

        static Section SectionAt(byte[] elf, string path, int index)
        {
            int i = 0;
            foreach (var section in Sections(elf, path))
                if (i++ == index) return section;
            throw new InvalidDataException($"{path}: section index {index} is out of range.");
        }

        static void Check(byte[] elf, long offset, int size, string path)
        {
            if (offset < 0 || offset + size > elf.Length)
                throw new InvalidDataException($"{path}: truncated ELF file (offset {offset} is past the end).");
        }

        static ushort U16(byte[] b, long o, string path) { Check(b, o, 2, path); return (ushort)(b[o] | b[o + 1] << 8); }
        static uint U32(byte[] b, long o, string path) { Check(b, o, 4, path); return (uint)(b[o] | b[o + 1] << 8 | b[o + 2] << 16 | b[o + 3] << 24); }
        static ulong U64(byte[] b, long o, string path) => U32(b, o, path) | (ulong)U32(b, o + 4, path) << 32;

        static string CString(byte[] b, long o, string path)
        {
            Check(b, o, 1, path);
            long end = o;
            while (end < b.Length && b[end] != 0) end++;
            return Encoding.ASCII.GetString(b, (int)o, (int)(end - o));
        }
    }
}

#if !RLSC_RUNTIME
namespace Rlsc.NativeFix
{
    using Microsoft.Build.Framework;

    /// <summary>
    /// MSBuild task: makes patched copies of native libraries (see the comment at the top) under
    /// OutputDirectory and returns them as items with the original metadata, so that build output,
    /// deps.json, publish and pack all carry the patched file. The NuGet cache is never written.
    /// </summary>
    public sealed class RlscMarkVersionNeedWeak : Microsoft.Build.Utilities.Task
    {
        [Required] public ITaskItem[] Files { get; set; } = Array.Empty<ITaskItem>();
        [Required] public string OutputDirectory { get; set; } = "";
        [Required] public string Version { get; set; } = "";
        [Output] public ITaskItem[] PatchedFiles { get; set; } = Array.Empty<ITaskItem>();

        public override bool Execute()
        {
            var patched = new List<ITaskItem>();
            foreach (var item in Files)
            {
                string source = item.GetMetadata("FullPath");
                // One folder per source folder keeps two runtime identifiers' copies apart.
                string subfolder = item.GetMetadata("DestinationSubDirectory");
                string destination = Path.Combine(OutputDirectory, subfolder, Path.GetFileName(source));
                try
                {
                    bool upToDate = System.IO.File.Exists(destination)
                        && System.IO.File.GetLastWriteTimeUtc(destination) >= System.IO.File.GetLastWriteTimeUtc(source);
                    if (!upToDate)
                    {
                        bool needed = ElfVersionNeeds.WriteWithWeakVersion(source, destination, Version);
                        Log.LogMessage(MessageImportance.Low, needed
                            ? $"Marked {Version} weak in a copy of {source}: {destination}"
                            : $"{source} does not need {Version}; copied unchanged to {destination}");
                    }
                }
                catch (Exception e) when (e is IOException || e is InvalidDataException || e is UnauthorizedAccessException)
                {
                    Log.LogError(null, "RLSC900", null, source, 0, 0, 0, 0,
                        $"Could not make the patched copy of the TorchSharp native library: {e.Message}");
                    continue;
                }
                var copy = new Microsoft.Build.Utilities.TaskItem(destination);
                item.CopyMetadataTo(copy);
                patched.Add(copy);
            }
            PatchedFiles = patched.ToArray();
            return !Log.HasLoggedErrors;
        }
    }
}
#endif
