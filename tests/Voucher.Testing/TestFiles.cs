using System.Text;

namespace Voucher.Testing;

/// <summary>Files the tests upload as evidence.</summary>
public static class TestFiles
{
    /// <summary>A tiny PDF: evidence is judged by content, and "%PDF-" is what makes it a PDF.</summary>
    public static byte[] Pdf(string title) => Encoding.ASCII.GetBytes(
        $"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% {title}\ntrailer << /Root 1 0 R >>\n%%EOF\n");
}
