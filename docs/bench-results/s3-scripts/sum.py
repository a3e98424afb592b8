import json,sys,statistics as st,collections
rows=collections.defaultdict(list)
for f in sys.argv[1:]:
  for l in open(f):
    d=json.loads(l); rows[(d['tag'],d.get('label'))].append(d)
for (tag,label),ds in sorted(rows.items()):
  def med(k): 
    v=[x.get(k) for x in ds if x.get(k) is not None]; return st.median(v) if v else None
  if label in ('c50','c200'):
    dl=[round(x['deliveries_per_s']/1e6,2) for x in ds]
    cpu=[round(x['server_ticks']*1e7/x['delivered']) for x in ds]  # ns per delivery
    lost=sum(x['lost']+x['duplicated']+x['reordered'] for x in ds)
    print(f"{tag:14s} {label:5s} M/s={dl} med={st.median(dl)} server_ns/deliv={cpu} client_cores={[x['bench_cpu_cores'] for x in ds]} bad={lost}")
  elif label=='rate':
    print(f"{tag:14s} rate  p50={[x['latency_p50_us'] for x in ds]} p99={[x['latency_p99_us'] for x in ds]} max={[x['latency_max_us'] for x in ds]}")
  else:
    print(f"{tag:14s} {label} msgs/s={[round(x.get('msgs_per_s',0)/1e6,2) for x in ds]}")
