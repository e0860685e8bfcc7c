"""Convert .docx files to PDF in ONE LibreOffice process, fixing the doubled footnote marks on the way.

Run by a Python that has LibreOffice's UNO bridge (LibreOffice's own python, or
Debian's python3 with python3-uno), never imported by the package:

    python3 uno_convert.py [--office-version] SOFFICE PROFILE_DIR [PIPE]  < one line: [[docx, pdf], ...]

The script first starts SOFFICE headless with the private profile
PROFILE_DIR, listening on the private pipe PIPE (default: a random name),
then imports the bridge and connects (tried every 10 ms while LibreOffice
starts); meanwhile the caller makes the documents. It then reads the jobs,
one JSON line on stdin (nothing, when the caller gave up: LibreOffice is
stopped), and has LibreOffice convert them all in one call of a Basic
function (BASIC, run inside LibreOffice: no round trip per step): open each
.docx hidden, remove the literal footnote mark LibreOffice 7.4 prints beside
its own citation ("(1)(1)", in the text and at the foot), add the keyword
"thongbao", export the PDF, close. Where LibreOffice runs no Basic (or with
THONGBAO_UNO_STEPS=1) the same steps go from Python, one call at a time. It
prints one JSON line: {"done": n} (with --office-version also "office":
LibreOffice's version, e.g. "7.4") or {"error": ..., "docx": ...}. Then it
waits: the caller, which has its answer, stops the process group at once
(LibreOffice's orderly shutdown takes a tenth of a second, for a profile that
is thrown away), or closes stdin, and the script stops LibreOffice itself.
Exit codes: 0 done, 2 a document failed, 3 no UNO bridge, 4 LibreOffice did
not start.

    python3 uno_convert.py --serve [--office-version] SOFFICE PROFILE_DIR [PIPE]

keeps LibreOffice for as long as stdin stays open: once started it prints
{"ready": true} (with "office": the version, if asked), then converts one job per line ({"docx": ..., "pdf": ...}),
answering one line each ({"done": 1} or {"error": ...}). A failed job ends
it (exit 2: LibreOffice may be gone; the caller starts a fresh one); end of
stdin stops LibreOffice (exit 0).

Standalone on purpose (standard library and uno only): it runs under another
interpreter than the package's.
"""

import json
import os
import pathlib
import subprocess
import sys
import time
import uuid

uno = None  # the bridge, imported once LibreOffice is starting (_bridge)
CONNECT_S = 120.0
POLL_S = 0.01  # between two attempts to reach LibreOffice while it starts


def _bridge():
    """Import the UNO bridge (about 20 ms, while LibreOffice boots); False without one."""
    global uno, PropertyValue
    try:
        import uno as bridge
        from com.sun.star.beans import PropertyValue
    except ImportError:
        return False
    uno = bridge
    return True


def _prop(name, value):
    p = PropertyValue()
    p.Name = name
    p.Value = value
    return p


def _url(path):
    return uno.systemPathToFileUrl(os.path.abspath(path))


def _spawn(soffice, profile, pipe):
    """Start LibreOffice listening on the private pipe ``pipe``; return the process.

    First thing the script does, before the bridge is imported: LibreOffice's
    start (about a second) is the long pole, everything else overlaps it.
    """
    cmd = [soffice, "-env:UserInstallation=" + pathlib.Path(os.path.abspath(profile)).as_uri(), "--headless",
           "--invisible", "--norestore", "--nolockcheck", "--nodefault", "--nologo",
           "--accept=pipe,name=%s;urp;" % pipe]
    err = open(profile + ".log", "wb")
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=err, stderr=err)
    err.close()
    return proc


def _connect(proc, pipe):
    """LibreOffice's component context once it answers on ``pipe`` (tried every POLL_S); None if it ended
    or never did."""
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_S
    while True:
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                return None
            time.sleep(POLL_S)
    return ctx


def _desktop(ctx):
    return ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)


def _strip(text, cursor, label):
    """Delete ``label`` right after ``cursor`` (collapsed) if it is there; return whether it was."""
    if not cursor.goRight(len(label), True):
        return False
    if cursor.getString() != label:
        return False
    text.insertString(cursor, "", True)
    return True


def single_note_marks(doc):
    """Drop the literal mark after each labelled note and at the start of its body; return how many notes."""
    notes = doc.getFootnotes()
    count = 0
    for i in range(notes.getCount()):
        note = notes.getByIndex(i)
        label = note.getLabel()
        if not label:
            continue  # an auto-numbered note prints once already
        anchor = note.getAnchor()
        text = anchor.getText()
        _strip(text, text.createTextCursorByRange(anchor.getEnd()), label)
        body = note.getText()
        cursor = body.createTextCursor()
        cursor.gotoStart(False)
        _strip(body, cursor, label)
        count += 1
    return count


PDF_MARK = "thongbao"


def mark_ours(doc):
    """Add the keyword ``thongbao``, which the PDF's Keywords carry: how a later write knows the PDF is ours
    (generator/output.py; the ODT route does the same in pdf.mark_meta)."""
    props = doc.getDocumentProperties()
    keywords = tuple(props.Keywords or ())
    if PDF_MARK not in keywords:
        props.Keywords = keywords + (PDF_MARK,)


# The batch inside LibreOffice: the same steps as convert() (open hidden, single_note_marks,
# mark_ours, export, close) in LibreOffice Basic, which runs in LibreOffice's own process. From
# Python over the pipe, every call (some forty a document) is a round trip between two processes;
# this is one call for the whole batch. It answers "" when all are done, else "INDEX<TAB>message".
BASIC = """
Function ConvertAll(ins As Variant, outs As Variant) As String
  Dim opening(1) As New com.sun.star.beans.PropertyValue
  Dim export(0) As New com.sun.star.beans.PropertyValue
  Dim doc As Object, i As Long
  opening(0).Name = "Hidden" : opening(0).Value = True
  opening(1).Name = "ReadOnly" : opening(1).Value = False
  export(0).Name = "FilterName" : export(0).Value = "writer_pdf_Export"
  On Error GoTo Failed
  For i = LBound(ins) To UBound(ins)
    doc = Nothing
    doc = StarDesktop.loadComponentFromURL(ins(i), "_blank", 0, opening())
    If IsNull(doc) Then
      ConvertAll = CStr(i) & Chr(9) & "LibreOffice could not open it"
      Exit Function
    End If
    SingleNoteMarks(doc)
    MarkOurs(doc)
    doc.storeToURL(outs(i), export())
    doc.close(True)
  Next i
  ConvertAll = ""
  Exit Function
Failed:
  ConvertAll = CStr(i) & Chr(9) & Error$
  On Error Resume Next
  If Not IsNull(doc) Then doc.close(True)
End Function

Function StripMark(txt As Object, cur As Object, label As String) As Boolean
  StripMark = False
  If Not cur.goRight(Len(label), True) Then Exit Function
  If cur.getString() <> label Then Exit Function
  txt.insertString(cur, "", True)
  StripMark = True
End Function

Function SingleNoteMarks(doc As Object) As Long
  Dim notes As Object, note As Object, anchor As Object, txt As Object, body As Object, cur As Object
  Dim i As Long, n As Long, label As String
  notes = doc.getFootnotes()
  For i = 0 To notes.getCount() - 1
    note = notes.getByIndex(i)
    label = note.getLabel()
    If label <> "" Then
      anchor = note.getAnchor()
      txt = anchor.getText()
      StripMark(txt, txt.createTextCursorByRange(anchor.getEnd()), label)
      body = note.getText()
      cur = body.createTextCursor()
      cur.gotoStart(False)
      StripMark(body, cur, label)
      n = n + 1
    End If
  Next i
  SingleNoteMarks = n
End Function

Sub MarkOurs(doc As Object)
  Dim props As Object, kw As Variant, k As Long
  props = doc.getDocumentProperties()
  kw = props.Keywords
  For k = LBound(kw) To UBound(kw)
    If kw(k) = "thongbao" Then Exit Sub
  Next k
  ReDim Preserve kw(UBound(kw) + 1)
  kw(UBound(kw)) = "thongbao"
  props.Keywords = kw
End Sub
"""


def basic_batch(ctx):
    """ConvertAll (BASIC) put into LibreOffice's application library (the private profile's); None where
    LibreOffice runs no Basic (the batch then goes step by step from here)."""
    try:
        smgr = ctx.ServiceManager
        libs = smgr.createInstanceWithContext("com.sun.star.script.ApplicationScriptLibraryContainer", ctx)
        if not libs.hasByName("Thongbao"):
            libs.createLibrary("Thongbao")
        lib = libs.getByName("Thongbao")
        if lib.hasByName("Convert"):
            lib.replaceByName("Convert", BASIC)
        else:
            lib.insertByName("Convert", BASIC)
        factory = smgr.createInstanceWithContext("com.sun.star.script.provider.MasterScriptProviderFactory", ctx)
        return factory.createScriptProvider("").getScript(
            "vnd.sun.star.script:Thongbao.Convert.ConvertAll?language=Basic&location=application")
    except Exception:
        return None


def convert_all(ctx, desktop, jobs):
    """Convert every (docx, pdf) job; None when all are done, else (the failed docx or None, message)."""
    script = basic_batch(ctx) if jobs and not os.environ.get("THONGBAO_UNO_STEPS") else None
    if script is not None:
        try:
            said = script.invoke((tuple(_url(d) for d, _p in jobs), tuple(_url(p) for _d, p in jobs)), (), ())[0]
        except Exception as exc:
            return None, _message(exc)
        if not said:
            return None
        index, _tab, message = said.partition("\t")
        message = " ".join(message.split()).split(" Message: ", 1)[-1]  # as exc.Message: without "An exception occurred Type: ..."
        return jobs[int(index)][0] if index.isdigit() and int(index) < len(jobs) else None, message[:200]
    for docx, pdf in jobs:
        try:
            convert(desktop, docx, pdf)
        except Exception as exc:  # a UNO error: name the file, stop the batch
            return docx, _message(exc)
    return None


def convert(desktop, docx, pdf):
    doc = desktop.loadComponentFromURL(_url(docx), "_blank", 0, (_prop("Hidden", True), _prop("ReadOnly", False)))
    if doc is None:
        raise RuntimeError("LibreOffice could not open it")
    try:
        single_note_marks(doc)
        mark_ours(doc)
        doc.storeToURL(_url(pdf), (_prop("FilterName", "writer_pdf_Export"),))
    finally:
        doc.close(True)


def _say(what):
    sys.stdout.write(json.dumps(what) + "\n")
    sys.stdout.flush()


def _message(exc):
    message = getattr(exc, "Message", "") or str(exc) or type(exc).__name__
    return " ".join(message.split())[:200]


def serve(desktop, version=None):
    """One job per stdin line until stdin ends; the exit status."""
    _say({"ready": True, **({"office": version} if version else {})})
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        if not line.strip():
            continue
        docx = None
        try:
            job = json.loads(line)
            docx = job["docx"]
            convert(desktop, docx, job["pdf"])
        except Exception as exc:  # a bad job or LibreOffice gone: say so and stop
            _say({"error": _message(exc), "docx": docx})
            return 2
        _say({"done": 1})


def office_version(ctx):
    """LibreOffice's version ("7.4"), as its configuration gives it; None if it does not say."""
    try:
        provider = ctx.ServiceManager.createInstanceWithContext("com.sun.star.configuration.ConfigurationProvider", ctx)
        access = provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess",
                                                      (_prop("nodepath", "/org.openoffice.Setup/Product"),))
        return access.getByName("ooSetupVersion")
    except Exception:
        return None


def main():
    options = [a for a in sys.argv[1:] if a in ("--serve", "--office-version")]
    args = [a for a in sys.argv[1:] if a not in options]
    serving = "--serve" in options
    soffice, profile = args[:2]
    pipe = args[2:3] or ["thongbao-" + uuid.uuid4().hex]
    proc = _spawn(soffice, profile, pipe[0])
    if not _bridge():  # pragma: no cover - reported to the caller, which falls back
        proc.kill()
        proc.wait()
        print(json.dumps({"error": "no UNO bridge in this Python"}))
        sys.exit(3)
    ctx = _connect(proc, pipe[0])
    if ctx is None:
        if proc.poll() is None:
            proc.kill()
        code = proc.wait()
        with open(profile + ".log", "rb") as fh:
            said = " ".join(fh.read().decode("utf-8", "replace").split())[-200:]
        print(json.dumps({"error": said or "LibreOffice did not start", "exit": code}))
        sys.exit(4)
    desktop = _desktop(ctx)
    status = 0
    try:
        if serving:
            status = serve(desktop, office_version(ctx) if "--office-version" in options else None)
            return _finish(desktop, proc, status)
        line = sys.stdin.readline()
        jobs = json.loads(line) if line.strip() else []
        failed = convert_all(ctx, desktop, jobs)
        if failed is None:
            said = {"done": len(jobs)}
            if "--office-version" in options:
                said["office"] = office_version(ctx)
            print(json.dumps(said))
        else:
            print(json.dumps({"error": failed[1], "docx": failed[0]}))
            status = 2
        sys.stdout.flush()
        sys.stdin.read()  # the caller has the answer: it stops LibreOffice, or closes stdin to end it here
    except BaseException:
        _finish(desktop, proc, 1)
        raise
    _finish(desktop, proc, status)


def _finish(desktop, proc, status):
    """Stop LibreOffice and exit with ``status``."""
    try:
        desktop.terminate()
    except Exception:
        pass  # the bridge goes down with LibreOffice
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
    sys.stdout.flush()
    sys.exit(status)


if __name__ == "__main__":
    main()
