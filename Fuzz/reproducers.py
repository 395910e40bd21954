#!/usr/bin/env python3
"""Replays issue 13's reproducers against the built tools and prints, for each, the exit code,
the CPU time it took (user + system, which a busy machine does not inflate) and the first line
it printed. Every reproducer should end in a located error (or a correct result) in well
under a second; `check` on a CR-only directory takes what a normal `check` takes (it runs every
inline test).

    swift build && python3 Fuzz/reproducers.py [BIN_DIR]    # default .build/debug

Works in a scratch folder under /tmp; the repository is not changed."""
import subprocess, os, re, shutil, sys, tempfile
root=os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
bin_dir=os.path.abspath(sys.argv[1]) if len(sys.argv)>1 else root+'/.build/debug'
sim=bin_dir+'/hotline-sim'; route=bin_dir+'/hotline-route'
base=open(root+'/Scenarios/tx/tx-motel-whisper.yaml').read()
D=tempfile.mkdtemp(prefix='hotline-reproducers-')
env=dict(os.environ, NO_COLOR='1', HOTLINESIM_DB=D+'/db.sqlite')
rows=[]
def run(name, args, stdin=None, cwd=root):
    p=subprocess.Popen(args,stdin=subprocess.DEVNULL,stdout=open(D+'/o','wb'),stderr=open(D+'/e','wb'),cwd=cwd,env=env)
    _,status,ru=os.wait4(p.pid,0); dt=ru.ru_utime+ru.ru_stime; code=os.waitstatus_to_exitcode(status)
    err=open(D+'/e','rb').read().decode('utf-8','replace').strip().splitlines()
    out=open(D+'/o','rb').read().decode('utf-8','replace').strip().splitlines()
    first=(err[0] if err else (out[0] if out else ''))[:150]
    rows.append((name,code,dt,first)); 
def scen(name, text):
    d=D+'/'+name; os.makedirs(d); open(d+'/s.yaml','w').write(text); return d+'/s.yaml'
def protoset(name, edit):
    d=D+'/'+name; shutil.copytree(root+'/Protocols',d); edit(d); return d
# time values
run('mm:ss huge time_limit (lint)', [sim,'lint',scen('tl',base.replace('time_limit: "06:30"','time_limit: "99999999999999999:00"'))])
run('mm:ss huge event at (lint)', [sim,'lint',scen('at',base.replace('at: "01:30"','at: "9999999999999999999:00"',1))])
run('mm:ss huge rule seconds (lint)', [sim,'lint',scen('sec',base.replace('seconds: "01:00"','seconds: "99999999999999:00"',1))])
run('time_limit "+6:30"', [sim,'lint',scen('plus',base.replace('time_limit: "06:30"','time_limit: "+6:30"'))])
run('victims[100000000] in known', [sim,'lint',scen('vk',base.replace('  victims[0].language: en','  victims[100000000].language: en',1))])
run('victims[100000000] in reveals', [sim,'lint',scen('vr',base.replace('          victims[0].age: 22','          victims[100000000].age: 22',1))])
run('version: -1', [sim,'lint',scen('ver',base.replace('version: 2','version: -1',1))])
run('say: [] ', [sim,'lint',scen('say',re.sub(r'say: .*', 'say: []', base, count=1))])
deep='('*1000+'true'+')'*1000
run('1,000 nested parens in scenario condition', [sim,'lint',scen('paren',base.replace('when: asked("yes_no")','when: "%s"'%deep,1))])
# long refer argument / ask
script=D+'/refer.txt'; open(script,'w').write('refer '+'x'*10000+'\nask '+'y'*100000+'\nsubmit\n')
run('10 KB refer argument, 100 KB ask (play --script)', [sim,'play','tx-motel-whisper','--no-record','--script',script,'--as-of','2026-11-29'])
# escapes
esc=D+'/esc.txt'; open(esc,'w').write('\x1b]0;pwned\x07\nsubmit\n')
run('ESC]0 in a script line (play)', [sim,'play','tx-motel-whisper','--no-record','--script',esc,'--as-of','2026-11-29'])
run('ESC in a title (list)', [sim,'list','--scenarios',os.path.dirname(scen('esct',base.replace('title: A whispered','title: \x1b[2J A whispered',1)))])
# duplicates
d1=D+'/dup'; os.makedirs(d1+'/a'); os.makedirs(d1+'/b'); open(d1+'/a/x.yaml','w').write(base); open(d1+'/b/y.yaml','w').write(base)
run('duplicate ids in two folders (lint)', [sim,'lint',d1])
# unreadable
os.mkfifo(D+'/fifo.yaml'); os.makedirs(D+'/dir.yaml'); os.symlink(D+'/nowhere',D+'/gone.yaml'); open(D+'/bad.yaml','wb').write(b'id: a\ntitle: "Hou\xffston"\n')
for f in ['fifo.yaml','dir.yaml','gone.yaml','bad.yaml']: run('unreadable '+f+' (lint)',[sim,'lint',D+'/'+f])
# names
run('trainee a/b', [sim,'play','tx-motel-whisper','--trainee','a/b','--script',esc,'--as-of','2026-11-29'])
run('trainee 300 chars', [sim,'play','tx-motel-whisper','--trainee','n'*300,'--script',esc,'--as-of','2026-11-29'])
run('store in a folder that is a file', [sim,'play','tx-motel-whisper','--db',D+'/bad.yaml/x.sqlite','--script',esc,'--as-of','2026-11-29'])
# reports
open(D+'/u.json','wb').write(b'{"location":{"state":"TX","city":"Hou\xffston"}}')
run('report invalid UTF-8 (route)', [route,'route',D+'/u.json'])
open(D+'/y.json','w').write('# c\n{"victims":[{"age":016}]}')
run('report YAML-ish JSON (route)', [route,'route',D+'/y.json'])
open(D+'/t.json','w').write('{"location":{"city":true}}')
run('report city: true (route)', [route,'route',D+'/t.json'])
open(D+'/v.json','w').write('{"victims":['+','.join(['{}']*100000)+']}')
run('100,000 victims (route)', [route,'route',D+'/v.json'])
open(D+'/c.json','w').write('{"location":{"state":"TX","county":"'+'Q'*100000+'"}}')
run('100 KB county (route)', [route,'route',D+'/c.json'])
open(D+'/e.json','w').write('{"location":{"state":"\x1b]0;x\x07"}}')
run('ESC in a report value (route error)', [route,'route',D+'/e.json'])
# protocol sets
def mars(d):
    import glob
    f=sorted(glob.glob(d+'/protocols/national/*.yaml'))[0]; s=open(f).read(); s=re.sub(r'scope: .*','scope: Mars',s,count=1); open(f,'w').write(s)
run('scope: Mars (check)', [route,'check','--protocols',protoset('mars',mars)])
def paren(d):
    import glob
    f=sorted(glob.glob(d+'/protocols/national/*.yaml'))[0]; s=open(f).read(); s=re.sub(r'when: >-\n(  .*\n)+','when: "'+deep+'"\n',s,count=1); open(f,'w').write(s)
run('1,000 nested parens in a protocol when (check)', [route,'check','--protocols',protoset('pparen',paren)])
def chain(d):
    import glob
    f=sorted(glob.glob(d+'/protocols/national/*.yaml'))[0]; s=open(f).read(); s=re.sub(r'when: >-\n(  .*\n)+','when: "'+' && '.join(['imminent_danger']*3000)+'"\n',s,count=1); open(f,'w').write(s)
run('3,000-term && chain (check)', [route,'check','--protocols',protoset('chain',chain)])
def crcsv(d):
    import glob
    f=sorted(glob.glob(d+'/directory/*.csv'))[0]; s=open(f).read().replace('\n','\r'); open(f,'w').write(s)
run('CR-only directory CSV (check)', [route,'check','--protocols',protoset('cr',crcsv)])
def nul(d):
    import glob
    f=sorted(glob.glob(d+'/directory/*.csv'))[0]; lines=open(f).read().split('\n'); lines[1]=lines[1].replace(',',',\x00',1); open(f,'w').write('\n'.join(lines))
run('NUL in a CSV field (check)', [route,'check','--protocols',protoset('nul',nul)])
for r in rows: print(f"{r[0][:48]:48} exit {r[1]:3} {r[2]:6.2f}s cpu  {r[3]}")
shutil.rmtree(D, ignore_errors=True)
