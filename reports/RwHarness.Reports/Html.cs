using System.Globalization;
using System.Text;

namespace RwHarness.Reports;

/// <summary>
/// Escaping and number formatting shared by the HTML pages. Every string that comes from a results file
/// (lock and scenario names, messages, traces) goes through <see cref="E"/> before it reaches the page;
/// attribute values are always double-quoted.
/// </summary>
internal static class Html
{
    /// <summary>Escapes text for an element body or a double-quoted attribute value.</summary>
    public static string E(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "";
        }
        StringBuilder? sb = null;
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            string? rep = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                '\0' => "\uFFFD",
                _ => null,
            };
            if (rep is null)
            {
                sb?.Append(c);
                continue;
            }
            sb ??= new StringBuilder(s, 0, i, s.Length + 16);
            sb.Append(rep);
        }
        return sb?.ToString() ?? s;
    }

    /// <summary>Invariant number with thousands separators: 1,234,567.</summary>
    public static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Invariant decimal, fixed digits.</summary>
    public static string F(double d, int digits = 2) => d.ToString("F" + digits, CultureInfo.InvariantCulture);

    /// <summary>A compact duration: 850 ms, 12.3 s, 4m 05s.</summary>
    public static string Ms(long ms)
    {
        if (ms < 1000)
        {
            return ms + " ms";
        }
        if (ms < 60_000)
        {
            return (ms / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s";
        }
        var t = TimeSpan.FromMilliseconds(ms);
        return t.TotalHours >= 1
            ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
            : $"{t.Minutes}m {t.Seconds:00}s";
    }

    /// <summary>A count with an SI suffix: 950, 12.3k, 4.56M, 1.2G.</summary>
    public static string Si(double v)
    {
        var a = Math.Abs(v);
        return a switch
        {
            >= 1e9 => (v / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + "G",
            >= 1e6 => (v / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
            >= 1e3 => (v / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + "k",
            _ => v.ToString("0.##", CultureInfo.InvariantCulture),
        };
    }

    /// <summary>Tiny page script: copy buttons (<c>data-copy</c>), expand/collapse-all (<c>data-fold</c>), and folding the matrix to the locks with failures (<c>data-only-failing</c>). Nothing else.</summary>
    public const string Script = """
        document.addEventListener('click', function (e) {
          var b = e.target.closest && e.target.closest('button[data-copy]');
          if (b) {
            var text = b.getAttribute('data-copy');
            var done = function () { var t = b.textContent; b.textContent = 'copied'; setTimeout(function () { b.textContent = t; }, 1200); };
            if (navigator.clipboard && navigator.clipboard.writeText) {
              navigator.clipboard.writeText(text).then(done, function () { fallback(text); done(); });
            } else { fallback(text); done(); }
            return;
          }
          var o = e.target.closest && e.target.closest('button[data-only-failing]');
          if (o) {
            var m = document.querySelector('table.matrix');
            var on = m.classList.toggle('only-failing');
            o.textContent = on ? 'show all locks' : 'show only locks with failures';
            return;
          }
          var f = e.target.closest && e.target.closest('button[data-fold]');
          if (f) {
            var open = f.getAttribute('data-fold') === 'open';
            var scope = document.getElementById(f.getAttribute('data-scope')) || document;
            scope.querySelectorAll('details').forEach(function (d) { d.open = open; });
          }
        });
        function fallback(text) {
          var ta = document.createElement('textarea');
          ta.value = text; document.body.appendChild(ta); ta.select();
          try { document.execCommand('copy'); } catch (x) { }
          document.body.removeChild(ta);
        }
        """;
}
