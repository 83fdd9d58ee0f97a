# bad-corpus-gen.py - regenerate tests/bad/ (the hostile cases). Needs ImageMagick's convert.
import os, zlib, struct, shutil, subprocess
HERE = os.path.dirname(os.path.abspath(__file__))
B = os.path.join(HERE, 'bad')
shutil.rmtree(B, ignore_errors=True)
os.makedirs(B)
H = "complaint_id,received,customer_id,customer_name,email,services,contract,prepaid_eur,prepaid_until,summary,statement,exhibits\n"
R1 = 'R-1,2005-04-14,C001,Jean Dupont,jean@example.org,web;mail,Pro,,,Site en panne,Rien ne marche.,exhibits/capture.png\n'
R2 = 'R-2,2005-04-15,C002,Marie Curie,marie@example.org,mail,,,,Courriel perdu,Plus rien.,exhibits/mail-0001.txt\n'
TH = "when,title,detail,source,exhibits\n"
OH = "service,start,end,cause\n"
n = [0]
def case(name, files, expect, exit0=False, remove=None, links=None):
    n[0] += 1
    d = os.path.join(B, '%02d-%s' % (n[0], name))
    os.makedirs(d)
    for p, data in files.items():
        fp = os.path.join(d, p)
        os.makedirs(os.path.dirname(fp), exist_ok=True)
        open(fp, 'wb').write(data.encode() if isinstance(data, str) else data)
    with open(os.path.join(d, 'expect'), 'w') as f:
        for e in expect:
            f.write(e + '\n')
        if exit0:
            f.write('exit: 0\n')
    if remove:
        open(os.path.join(d, 'remove'), 'w').write(''.join(r + '\n' for r in remove))
    if links:
        open(os.path.join(d, 'links'), 'w').write(''.join('%s %s\n' % l for l in links))

def chunk(t, dd):
    c = struct.pack('>I', len(dd)) + t + dd
    return c + struct.pack('>I', zlib.crc32(t + dd) & 0xffffffff)
def png(w, h, depth=8, color=2, interlace=0, idat=None):
    ch = {0:1, 2:3, 6:4}[color]
    bpp = ch * depth // 8
    raw = b''.join(b'\x00' + bytes((x*37+y*11) % 256 for x in range(w*bpp)) for y in range(h))
    if interlace:
        # Adam7: build passes
        passes = [(0,0,8,8),(4,0,8,8),(0,4,4,8),(2,0,4,4),(0,2,2,4),(1,0,2,2),(0,1,1,2)]
        raw = b''
        for (x0,y0,dx,dy) in passes:
            cols = len(range(x0, w, dx)); rows = len(range(y0, h, dy))
            if cols == 0 or rows == 0: continue
            for y in range(rows):
                raw += b'\x00' + bytes((i*5+y) % 256 for i in range(cols*bpp))
    ihdr = struct.pack('>IIBBBBB', w, h, depth, color, 0, 0, interlace)
    return b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', ihdr) + chunk(b'IDAT', idat if idat is not None else zlib.compress(raw)) + chunk(b'IEND', b'')

good = png(4, 3)
cite_png = H + R1 + R2

# --- dates
case('date-unparsable', {'complaints.csv': H + R1.replace('2005-04-14', '14/04/2005') + R2},
     ['complaints.csv:2:received: error: "14/04/2005": not a date'])
case('date-out-of-range', {'complaints.csv': H + R1 + R2.replace('2005-04-15', '1969-12-31')},
     ['complaints.csv:3:received: error: "1969-12-31": year out of range'])
case('date-nonexistent-local', {'timeline.csv': TH + '2005-03-27T02:30,Heure sautée,,,\n'},
     ['timeline.csv:2:when: error: "2005-03-27T02:30": this local time does not exist'])
case('date-bad-day', {'outages/manual.csv': OH + 'web,2005-02-30,2005-03-01,\n'},
     ['outages/manual.csv:2:start: error: "2005-02-30": no such day'])
# --- exhibit paths
case('exhibit-missing', {'complaints.csv': H + R1.replace('exhibits/capture.png', 'exhibits/nope.png') + R2},
     ['complaints.csv:2:exhibits: error: exhibit "exhibits/nope.png": file not found'])
case('exhibit-dotdot', {'complaints.csv': H + R1.replace('exhibits/capture.png', 'exhibits/../case.ini') + R2},
     ['complaints.csv:2:exhibits: error: exhibit "exhibits/../case.ini": path leads outside the case folder'])
case('exhibit-absolute', {'complaints.csv': H + R1.replace('exhibits/capture.png', '/etc/passwd') + R2},
     ['complaints.csv:2:exhibits: error: exhibit "/etc/passwd": absolute path'])
case('exhibit-backslash', {'complaints.csv': H + R1.replace('exhibits/capture.png', 'exhibits\\\\capture.png') + R2},
     ['complaints.csv:2:exhibits: error: exhibit "exhibits\\\\capture.png": backslash in path'])
case('exhibit-symlink-out', {'complaints.csv': H + R1.replace('exhibits/capture.png', 'exhibits/capture.png;exhibits/link.txt') + R2},
     ['exhibits/link.txt: error: symbolic link leads outside the case folder',
      'complaints.csv:2:exhibits: error: exhibit "exhibits/link.txt": symbolic link leads outside the case folder'],
     links=[('exhibits/link.txt', '/etc/hostname')])
case('exhibit-not-in-folder', {'complaints.csv': H + R1.replace('exhibits/capture.png', 'timeline.csv') + R2},
     ['complaints.csv:2:exhibits: error: "timeline.csv" is not an exhibit'])
# --- complaints semantics
case('duplicate-complaint-id', {'complaints.csv': H + R1 + R2.replace('R-2,', 'R-1,')},
     ['complaints.csv:3:complaint_id: error: complaint id "R-1" is already used on line 2'])
case('undeclared-service', {'complaints.csv': H + R1.replace('web;mail', 'web;ftp') + R2},
     ['complaints.csv:2:services: error: service "ftp" is not declared'])
case('undeclared-service-outage', {'outages/manual.csv': OH + 'ftp,2005-04-12,2005-04-13,\n'},
     ['outages/manual.csv:2:service: error: service "ftp" is not declared'])
case('end-before-start', {'outages/manual.csv': OH + 'web,2005-04-13,2005-04-12,panne\nweb,2005-04-12,2005-04-12,\n'},
     ['outages/manual.csv:2:end: error: the outage ends (2005-04-12) before or when it starts (2005-04-13)',
      'outages/manual.csv:3:end: error: the outage ends'])
case('bad-email', {'complaints.csv': H + R1.replace('jean@example.org', 'jean.example.org') + R2},
     ['complaints.csv:2:email: error: "jean.example.org" is not an e-mail address'])
case('bad-money', {'complaints.csv': H + R1.replace('Pro,,', 'Pro,"1,250",') + R2.replace(',,,,', ',,12 EUR,,')},
     ['complaints.csv:2:prepaid_eur: error: "1,250": at most two digits',
      'complaints.csv:3:prepaid_eur: error: "12 EUR": not an amount in euros'])
case('no-service', {'complaints.csv': H + R1.replace('web;mail', ' ; ') + R2},
     ['complaints.csv:2:services: error: at least one service is required'])
case('customer-mismatch', {'complaints.csv': H + R1 + R2 + R1.replace('R-1,', 'R-3,').replace('Jean Dupont', 'J. Dupont')},
     ['complaints.csv:4:customer_name: warning: customer C001 is named "J. Dupont" here but "Jean Dupont" on line 2'], exit0=True)
# --- CSV syntax
case('invalid-utf8-csv', {'complaints.csv': (H + R1).encode() + R2.replace('Marie', 'Mari\xff').encode('latin-1')},
     ['complaints.csv:3:customer_name: error: invalid UTF-8 text'])
case('unterminated-quote', {'timeline.csv': TH + '2005-04-12,Ok,,,\n2005-04-13,"Pas fermé,detail,\nsource,\n2005-04-14,x,,,\n'},
     ['timeline.csv:3:title: error: unterminated quote'])
case('stray-quote', {'timeline.csv': TH + '2005-04-12,Un "titre",,,\n2005-04-13,Suivant,,,\n2005-04-14,"Fermé"x,,,\n'},
     ['timeline.csv:2:title: error: stray quote', 'timeline.csv:4:title: error: stray quote'])
case('missing-column', {'complaints.csv': H.replace(',email', '') + R1},
     ['complaints.csv:1: error: missing column "email" in the header; the whole file is left out'])
case('extra-column', {'timeline.csv': 'when,title,detail,source,exhibits,phone\n2005-04-12,x,,,,\n'},
     ['timeline.csv:1: error: unknown column "phone" in the header'])
case('duplicate-column', {'timeline.csv': 'when,title,detail,source,exhibits,Title\n'},
     ['timeline.csv:1: error: column "title" appears twice'])
case('row-too-few-fields', {'timeline.csv': TH + '2005-04-12,x,,\n'},
     ['timeline.csv:2: error: row has 4 fields but the header has 5 columns'])
case('row-too-many-fields', {'timeline.csv': TH + '2005-04-12,x,a,b,,extra\n'},
     ['timeline.csv:2: error: row has 6 fields but the header has 5 columns'])
case('bom-crlf-quoted-newlines', {'complaints.csv': '\ufeff' + (H + R1 + 'R-2,2005-04-15,C002,Marie Curie,marie@example.org,mail,,,,Courriel,"Ligne 1\n\nLigne 3",exhibits/mail-0001.txt\n').replace('\n', '\r\n'),
      'timeline.csv': '\ufeffWhen , TITLE,detail,source,exhibits\r\n2005-04-12,x,,,\r\n'},
     [], exit0=True)
case('line-numbers-after-multiline', {'complaints.csv': H + R1.replace('Rien ne marche.', '"Rien\nne\nmarche."') + R2.replace('2005-04-15', 'demain')},
     ['complaints.csv:5:received: error: "demain": not a date'])
case('empty-rows-skipped', {'timeline.csv': TH + '\n2005-04-12,x,,,\n,,,,\n\n2005-04-13,y,,,\n'}, [], exit0=True)
case('empty-csv', {'timeline.csv': ''}, ['timeline.csv: error: the file is empty'])
# --- Nagios
NL = '[1113267601] INITIAL HOST STATE: web1.example.fr;UP;HARD;1;PING OK\n'
case('nagios-semicolon-output', {'outages/nagios.log': NL + '[1113270000] SERVICE ALERT: web1.example.fr;HTTP;CRITICAL;HARD;1;a;b;c;;\n[1113270001] EXTERNAL COMMAND: SCHEDULE_HOST_DOWNTIME;x;y\n[1113270002] Auto-save of retention data completed successfully.\n'},
     [], exit0=True)
case('nagios-missing-fields', {'outages/nagios.log': NL + '[1113270000] SERVICE ALERT: web1.example.fr;HTTP;CRITICAL\n[1113270000] HOST ALERT: web1.example.fr;DOWN;HARD\n[1113270000] HOST DOWNTIME ALERT: web1.example.fr\n'},
     ['outages/nagios.log:2: error: SERVICE ALERT line with missing fields',
      'outages/nagios.log:3: error: HOST ALERT line with missing fields',
      'outages/nagios.log:4: error: HOST DOWNTIME ALERT line with missing fields'])
case('nagios-unknown-state', {'outages/nagios.log': NL + '[1113270000] SERVICE ALERT: web1.example.fr;HTTP;DOWN;HARD;1;x\n[1113270000] HOST ALERT: web1.example.fr;UP;MAYBE;1;x\n'},
     ['outages/nagios.log:2: error: unknown state "DOWN"', 'outages/nagios.log:3: error: state type "MAYBE" is neither HARD nor SOFT'])
case('nagios-bad-epoch', {'outages/nagios.log': NL + '[11133x0000] SERVICE ALERT: web1.example.fr;HTTP;OK;HARD;1;x\n[99999999999] HOST ALERT: web1.example.fr;UP;HARD;1;x\nSERVICE ALERT: web1.example.fr;HTTP;OK;HARD;1;x\n'},
     ['outages/nagios.log:2: error: SERVICE ALERT line without a valid [timestamp]',
      'outages/nagios.log:3: error: HOST ALERT line without a valid [timestamp]',
      'outages/nagios.log:4: error: SERVICE ALERT line without a valid [timestamp]'])
case('nagios-invalid-utf8', {'outages/nagios.log': NL.encode() + b'[1113270000] SERVICE ALERT: web1.example.fr;HTTP;OK;HARD;1;caf\xe9\n'},
     ['outages/nagios.log:2: error: invalid UTF-8 text'])
case('nagios-unmapped', {'outages/nagios.log': NL + '[1113270000] SERVICE ALERT: db1.example.fr;MySQL;OK;HARD;1;x\n'},
     ['outages/nagios.log:2: warning: monitored service "db1.example.fr;MySQL" is not mapped'], exit0=True)
# --- images and exhibit content
case('png-truncated', {'exhibits/capture.png': good[:60]}, ['exhibits/capture.png: error: damaged PNG image',
     'complaints.csv:2:exhibits: error: exhibit "exhibits/capture.png" could not be read'])
bad_crc = bytearray(good); bad_crc[45] ^= 0xff
case('png-corrupt', {'exhibits/capture.png': bytes(bad_crc)}, ['exhibits/capture.png: error: damaged PNG image'])
case('png-bad-zlib', {'exhibits/capture.png': png(4, 3, idat=b'\x78\x9cgarbage-not-deflate')}, ['exhibits/capture.png: error: damaged PNG image'])
case('png-interlaced', {'exhibits/capture.png': png(9, 7, interlace=1)}, [], exit0=True)
case('png-16bit', {'exhibits/capture.png': png(5, 4, depth=16, color=6)}, [], exit0=True)
huge = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 100000, 100000, 8, 2, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b'\x00' * 100)) + chunk(b'IEND', b'')
case('png-huge-header', {'exhibits/capture.png': huge}, ['exhibits/capture.png: error: image is 100000 x 100000 pixels; the limit is 20000 pixels on a side'])
wide = b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', 15000, 15000, 8, 0, 0, 0, 0)) + chunk(b'IDAT', zlib.compress(b'\x00' * 100)) + chunk(b'IEND', b'')
case('png-too-many-pixels', {'exhibits/capture.png': wide}, ['exhibits/capture.png: error: image is 15000 x 15000 pixels; the limit is 100 megapixels'])
subprocess.run(['convert', '-size', '16x8', 'gradient:red-blue', '/tmp/gen/t.jpg'], check=True)
subprocess.run(['convert', '-size', '64x64', 'plasma:', '-quality', '90', '/tmp/gen/big.jpg'], check=True)
bigjpg = open('/tmp/gen/big.jpg', 'rb').read()
jpg = open('/tmp/gen/t.jpg', 'rb').read()
case('jpeg-good', {'exhibits/photo.jpg': jpg}, ['exhibits/photo.jpg: warning: exhibit 3 is not cited'], exit0=True)
case('jpeg-truncated', {'exhibits/photo.jpg': bigjpg[:len(bigjpg)*3//4]}, ['exhibits/photo.jpg: error: damaged or truncated JPEG image'])
case('jpeg-garbage', {'exhibits/photo.jpg': b'\xff\xd8\xff' + b'\x00' * 50}, ['exhibits/photo.jpg: error: damaged JPEG image'])
case('binary-exhibit', {'exhibits/blob.bin': b'\x00\x01\x02\xfe\xff'}, ['exhibits/blob.bin: error: not a PNG image, a JPEG image or UTF-8 text'])
case('text-exhibit-latin1', {'exhibits/mail-0001.txt': 'Réponse du support\n'.encode('latin-1')},
     ['exhibits/mail-0001.txt: error: not a PNG image, a JPEG image or UTF-8 text',
      'exhibits.csv:2:path: error: exhibit "exhibits/mail-0001.txt" could not be read'])
case('pdf-exhibit', {'exhibits/doc.pdf': '%PDF-1.4\n%%EOF\n'}, ['exhibits/doc.pdf: error: damaged PDF that qpdf cannot repair'])
case('exhibits-csv-twice', {'exhibits.csv': 'path,title,date,source\nexhibits/mail-0001.txt,A,,\nexhibits/mail-0001.txt,B,,\n'},
     ['exhibits.csv:3:path: error: exhibit "exhibits/mail-0001.txt" is listed twice (first on line 2)'])
case('exhibits-csv-bad-date', {'exhibits.csv': 'path,title,date,source\nexhibits/mail-0001.txt,A,2005-13-01,\n'},
     ['exhibits.csv:2:date: error: "2005-13-01": no such day in the calendar'])
# --- case.ini
INI = open(os.path.join(HERE, 'good/minimal/case.ini')).read()
case('ini-missing-title', {'case.ini': INI.replace('title        = Collectif', 'xtitle = Collectif')},
     ['case.ini:title: error: [case] title is required', 'case.ini:3:xtitle: warning: unknown key "xtitle" in [case]'])
case('ini-unknown-section', {'case.ini': INI + '\n[extra]\nfoo = bar\n'},
     ['case.ini:33: warning: unknown section [extra]'], exit0=True)
case('ini-bad-timezone', {'case.ini': INI.replace('Europe/Paris', 'Europe/Pariss')},
     ['case.ini:7:timezone: error: unknown time zone "Europe/Pariss"'])
case('ini-period-reversed', {'case.ini': INI.replace('period_end   = 2005-06-01', 'period_end   = 2005-04-01')},
     ['case.ini:9:period_end: error: period_end must come after period_start'])
case('ini-period-no-offset', {'case.ini': INI.replace('period_start = 2005-04-12T00:00:00+02:00', 'period_start = 2005-04-12')},
     ['case.ini:8:period_start: error: "2005-04-12": a UTC offset is required'])
case('ini-bad-syntax', {'case.ini': INI.replace('[sla]\n', '[sla]\nthis line has no equals sign\n')},
     ['case.ini:13: error: this line is not "key = value"'])
case('ini-no-services', {'case.ini': INI.split('[services]')[0]},
     ['case.ini: error: no service is declared'])
case('ini-bad-values', {'case.ini': INI.replace('language     = fr', 'language     = de').replace('availability = 99.9', 'availability = 120').replace('credit       = 99.0:25', 'credit       = 99.0')},
     ['case.ini:6:language: error: language must be fr or en', 'case.ini:13:availability: error: availability must be a percentage',
      'case.ini:15:credit: error: credit must be "below:credit"'])
case('ini-monitoring-undeclared', {'case.ini': INI + 'ftp = ftp1.example.fr;FTP\n'},
     ['case.ini:32:ftp: error: [monitoring] names service "ftp", which is not declared'])
case('ini-duplicate-key', {'case.ini': INI.replace('paper        = a4', 'paper        = a4\npaper = letter')},
     ['case.ini:11:paper: error: given twice (first on line 10)'])
case('ini-invalid-utf8', {'case.ini': INI.replace('court        = Tribunal de commerce de Paris', 'court        = Tribunal de commerce de Pari\udcff').encode('utf-8', 'surrogateescape')},
     ['case.ini:5: error: invalid UTF-8 text', 'case.ini:court: error: [case] court is required'])
# --- folder
case('missing-complaints', {}, ['complaints.csv: error: complaints.csv is missing'], remove=['complaints.csv'])
case('stray-files', {'notes.docx': 'x', 'outages/readme.txt': 'x', 'README.md': 'ignored'},
     ['notes.docx: warning: not part of a case folder', 'outages/readme.txt: warning: only *.csv and *.log files are read'], exit0=True)
case('ini-key-outside-section', {'case.ini': 'stray = 1\n' + INI}, ['case.ini:1:stray: warning: key outside any section is ignored'], exit0=True)
case('ini-bom-crlf', {'case.ini': '\ufeff' + INI.replace('\n', '\r\n')}, [], exit0=True)
case('summary-two-lines', {'complaints.csv': H + R1.replace('Site en panne', '"Site\nen panne"') + R2}, ['complaints.csv:2:summary: error: the summary must be on one line'])
case('timeline-no-title', {'timeline.csv': TH + '2005-04-12,,detail,,\n'}, ['timeline.csv:2:title: error: each event needs a title'])
case('complaint-bad-id', {'complaints.csv': H + R1.replace('R-1,', 'R 1/2,') + R2}, ['complaints.csv:2:complaint_id: error: complaint id "R 1/2" may only hold letters'])
case('nagios-program-events', {'outages/nagios.log': '[1113267600] Nagios 3.2.0 starting... (PID=99)\n[1113267700] Caught SIGHUP, restarting...\n[1113267800] Bailing out due to one or more errors encountered in the configuration files.\n'}, ['outages/nagios.log: note: 1 line of other kinds skipped'], exit0=True)
case('field-too-long', {}, ['complaints.csv:3:statement: error: field is longer than the limit of 1 MiB'])
case('line-too-long', {}, ['outages/nagios.log:2: error: line is longer than the limit of 4 MiB'])
# --- PDF exhibits (needs qpdf). Numbered from 80 so that cases added
# above do not renumber them.
n[0] = 79
def pdf(body_objs, trailer_extra=b'', xref=True):
    # A PDF from object bodies 1..n (catalog first), with a correct xref.
    out = bytearray(b'%PDF-1.4\n')
    offs = []
    for i, b in enumerate(body_objs):
        offs.append(len(out))
        out += b'%d 0 obj\n' % (i + 1) + b + b'\nendobj\n'
    x = len(out)
    if xref:
        out += b'xref\n0 %d\n0000000000 65535 f \n' % (len(body_objs) + 1)
        for o in offs:
            out += b'%010d 00000 n \n' % o
    out += b'trailer\n<< /Size %d /Root 1 0 R' % (len(body_objs) + 1) + trailer_extra + b' >>\nstartxref\n%d\n%%%%EOF\n' % x
    return bytes(out)
TEXT = b'BT /F1 12 Tf 72 720 Td (Conditions generales : disponibilite de 99,9 %) Tj ET'
def good_objs(catalog_extra=b'', page_extra=b''):
    return [b'<< /Type /Catalog /Pages 2 0 R' + catalog_extra + b' >>',
            b'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
            b'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R' + page_extra + b' >>',
            b'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
            b'<< /Length %d >>\nstream\n' % len(TEXT) + TEXT + b'\nendstream']
GOOD = pdf(good_objs())
CITE = H + R1 + R2.replace('exhibits/mail-0001.txt', 'exhibits/mail-0001.txt;exhibits/doc.pdf')
def qpdf_bytes(args):
    open('/tmp/gen/in.pdf', 'wb').write(GOOD)
    subprocess.run(['qpdf', '--static-id', '/tmp/gen/in.pdf', '/tmp/gen/out.pdf'] + args, check=True)
    return open('/tmp/gen/out.pdf', 'rb').read()
case('pdf-good', {'exhibits/doc.pdf': GOOD, 'complaints.csv': CITE}, [], exit0=True)
case('pdf-encrypted', {'exhibits/doc.pdf': qpdf_bytes(['--encrypt', 'secret', 'owner', '256', '--']), 'complaints.csv': CITE},
     ['exhibits/doc.pdf: error: encrypted PDF (it needs a password)', 'complaints.csv:3:exhibits: error'])
case('pdf-encrypted-no-password', {'exhibits/doc.pdf': qpdf_bytes(['--encrypt', '', 'owner', '256', '--print=none', '--'])},
     ['exhibits/doc.pdf: error: encrypted PDF (even without a password'])
case('pdf-javascript-openaction', {'exhibits/doc.pdf': pdf(good_objs(b' /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>'))},
     ['exhibits/doc.pdf: error: the PDF contains JavaScript'])
case('pdf-javascript-names', {'exhibits/doc.pdf': pdf(good_objs(b' /Names << /JavaScript 6 0 R >>') + [b'<< /Names [(x) 7 0 R] >>', b'<< /S /JavaScript /JS (1) >>'])},
     ['exhibits/doc.pdf: error: the PDF contains JavaScript'])
case('pdf-javascript-page-aa', {'exhibits/doc.pdf': pdf(good_objs(page_extra=b' /AA << /O << /S /JavaScript /JS (1) >> >>'))},
     ['exhibits/doc.pdf: error: the PDF contains JavaScript'])
case('pdf-launch-action', {'exhibits/doc.pdf': pdf(good_objs(b' /OpenAction << /S /Launch /F (calc.exe) >>'))},
     ['exhibits/doc.pdf: error: the PDF contains an action that launches a program'])
case('pdf-bad-xref-repaired', {'exhibits/doc.pdf': GOOD.replace(b'0000000009 00000 n', b'0000000001 00000 n'), 'complaints.csv': CITE},
     ['exhibits/doc.pdf: warning: damaged PDF: qpdf repaired the file'], exit0=True)
case('pdf-truncated', {'exhibits/doc.pdf': GOOD[:len(GOOD) * 2 // 5]},
     ['exhibits/doc.pdf: error: damaged PDF'])
case('pdf-no-pages', {'exhibits/doc.pdf': pdf([b'<< /Type /Catalog /Pages 2 0 R >>', b'<< /Type /Pages /Kids [] /Count 0 >>'])},
     ['exhibits/doc.pdf: error: the PDF has no pages'])
case('pdf-too-many-pages', {}, ['exhibits/doc.pdf: error: PDF of 2001 pages; the limit is 2000 pages for one PDF exhibit'])
print(n[0], 'cases')
