"""Runs `aggregator extract --batch` over the Readability test pages and prints predictions
as JSON Lines {"id","title","text"} for ../shared/conformance/extraction_score.py."""
import json, os, subprocess, sys, tempfile

pages, cli = sys.argv[1], sys.argv[2]
ids = sorted(d for d in os.listdir(pages) if os.path.isfile(os.path.join(pages, d, 'source.html')))
with tempfile.NamedTemporaryFile('w', suffix='.jsonl', delete=False) as batch:
    for i in ids:
        batch.write(json.dumps({'file': os.path.join(pages, i, 'source.html'), 'url': 'http://fakehost/test/page.html'}) + '\n')
out = subprocess.run([cli, 'extract', '--batch', batch.name], capture_output=True, text=True, check=False).stdout.splitlines()
os.unlink(batch.name)
for i, line in zip(ids, out):
    row = json.loads(line)
    print(json.dumps({'id': i, 'title': row.get('title') or '', 'text': row.get('text') or ''}))
