/**
 * The report's inline script (plain ES5-style JavaScript, no library, ~10 KB): pan and zoom through the
 * SVG viewBox (wheel, drag, pinch, buttons), a scale bar and marker/label sizes that follow the zoom,
 * hover/tap tooltips in plain words, the episode picker (trajectories, sources, shares, chart highlight),
 * the hour slider, layer toggles and greedy label placement (priority order, four candidate positions
 * for point labels, hidden when nothing fits). It reads the data the renderer puts in `HZ`.
 * Kept as a string so the renderer stays browser-safe and the file stays one offline document.
 */
export const REPORT_CLIENT_SCRIPT = String.raw`(function(){
'use strict';
var D=HZ.map,svg=document.getElementById('map'),box=document.getElementById('map-box'),tip=document.getElementById('tip');
var NS='http://www.w3.org/2000/svg';
var vb={x:0,y:0,w:D.W,h:D.H},u=1,ep=-1,hourT=null;
function $(id){return document.getElementById(id);}
function el(tag,attrs,parent){var e=document.createElementNS(NS,tag);for(var k in attrs)e.setAttribute(k,attrs[k]);if(parent)parent.appendChild(e);return e;}
function fmt(s,o){return s.replace(/\{(\w)\}/g,function(_,k){return o[k]==null?'':o[k];});}
function pct(x){return isFinite(x)?(x*100).toFixed(x<0.1?1:0)+' %':'–';}
function num(x,d){if(!isFinite(x))return '–';var s=x.toFixed(d||0).split('.');s[0]=s[0].replace(/\B(?=(\d{3})+(?!\d))/g,',');return s.join('.');}
function esc(s){return String(s).replace(/[&<>"]/g,function(c){return {'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c];});}
function when(t,full){var d=new Date(t+HZ.off*60000);var hh=('0'+d.getUTCHours()).slice(-2)+':'+('0'+d.getUTCMinutes()).slice(-2);return d.getUTCDate()+' '+HZ.months[d.getUTCMonth()]+(full?' '+(d.getUTCFullYear()+HZ.yearOffset):'')+' '+hh+HZ.hourSuffix;}
var W=HZ.words;
// ------------------------------------------------------------ view
// The viewBox takes the shape of the map box (taller on a phone), so the map always fills it.
function aspect(){var r=svg.getBoundingClientRect();return r.width>0&&r.height>0?r.height/r.width:D.H/D.W;}
function home(){var a=aspect(),w=Math.min(D.W,D.H/a);var cx=D.cx!=null?D.cx:D.W/2;var x=Math.max(0,Math.min(D.W-w,cx-w/2));vb={x:x,y:(D.H-w*a)/2,w:w,h:w*a};}
function clampView(){var minW=D.W/16;if(vb.w>D.W){vb.w=D.W;}if(vb.w<minW)vb.w=minW;vb.h=vb.w*aspect();
 var mx=vb.w*0.5;if(vb.x<-mx)vb.x=-mx;if(vb.y<-vb.h*0.5)vb.y=-vb.h*0.5;if(vb.x+vb.w>D.W+mx)vb.x=D.W+mx-vb.w;if(vb.y+vb.h>D.H+vb.h*0.5)vb.y=D.H+vb.h*0.5-vb.h;}
var declutterTimer=0;
function apply(){clampView();svg.setAttribute('viewBox',vb.x.toFixed(2)+' '+vb.y.toFixed(2)+' '+vb.w.toFixed(2)+' '+vb.h.toFixed(2));
 var cw=svg.getBoundingClientRect().width||D.W;u=vb.w/cw;svg.style.setProperty('--u',u.toFixed(4));
 var k=D.W/vb.w;svg.classList.toggle('z2',k>=1.7||cw>=1100&&k>=1.3);svg.classList.toggle('z3',k>=3.2);svg.setAttribute('data-zoom',k.toFixed(2));
 sizeMarkers();scaleBar(cw);clearTimeout(declutterTimer);declutterTimer=setTimeout(declutter,60);}
function zoomAt(f,sx,sy){var r=svg.getBoundingClientRect();var px=vb.x+(sx-r.left)/r.width*vb.w,py=vb.y+(sy-r.top)/r.height*vb.h;var nw=vb.w/f;if(nw>D.W)nw=D.W;if(nw<D.W/16)nw=D.W/16;var g=nw/vb.w;vb.x=px-(px-vb.x)*g;vb.y=py-(py-vb.y)*g;vb.w=nw;apply();}
function zoomCenter(f){var r=svg.getBoundingClientRect();zoomAt(f,r.left+r.width/2,r.top+r.height/2);}
function scaleBar(cw){var kmPerPx=u/D.unitsPerKm;var target=kmPerPx*110;var p=Math.pow(10,Math.floor(Math.log(target)/Math.LN10));var s=[1,2,5,10].map(function(m){return m*p;}).filter(function(v){return v<=target;}).pop()||p;
 $('scale-bar').style.width=(s/kmPerPx).toFixed(1)+'px';$('scale-label').textContent=(s>=1?num(s):s)+' '+W.km;$('scale').setAttribute('data-km',String(s));}
function tri(x,y,s){return 'M'+x+','+(y-s)+'L'+(x+s*0.9)+','+(y+s*0.65)+'L'+(x-s*0.9)+','+(y+s*0.65)+'Z';}
function sizeMarkers(){var i,n;
 n=svg.querySelectorAll('.station');for(i=0;i<n.length;i++){var e=n[i];e.setAttribute('d',tri(+e.getAttribute('data-x'),+e.getAttribute('data-y'),(e.classList.contains('sel')?9:7)*u));}
 n=svg.querySelectorAll('[data-r]');for(i=0;i<n.length;i++)n[i].setAttribute('r',(+n[i].getAttribute('data-r')*u).toFixed(3));
 n=svg.querySelectorAll('rect[data-half]');for(i=0;i<n.length;i++){var h=+n[i].getAttribute('data-half')*u;n[i].setAttribute('x',+n[i].getAttribute('data-cx')-h);n[i].setAttribute('y',+n[i].getAttribute('data-cy')-h);n[i].setAttribute('width',2*h);n[i].setAttribute('height',2*h);}}
// ------------------------------------------------------------ labels
function overlap(a,b){return a.x<b.x+b.w&&b.x<a.x+a.w&&a.y<b.y+b.h&&b.y<a.y+a.h;}
function declutter(){var taken=[],pad=2*u,i;
 // The scale bar, buttons and north arrow sit over the map: no label under them.
 var rr=svg.getBoundingClientRect(),over=box.querySelectorAll('.scale,.zoom-btns,.north');for(i=0;i<over.length;i++){var q=over[i].getBoundingClientRect();if(!q.width)continue;taken.push({x:vb.x+(q.left-rr.left)/rr.width*vb.w,y:vb.y+(q.top-rr.top)/rr.height*vb.h,w:q.width*u,h:q.height*u});}
 var obst=svg.querySelectorAll('.station,.town,rect.source');for(i=0;i<obst.length;i++){var ob=obst[i];if(ob.closest('.layer.off'))continue;var bb=ob.getBBox();taken.push({x:bb.x,y:bb.y,w:bb.width,h:bb.height});}
 var labs=Array.prototype.slice.call(svg.querySelectorAll('#labels .lbl'));labs.sort(function(a,b){return b.getAttribute('data-p')-a.getAttribute('data-p');});
 for(i=0;i<labs.length;i++){var t=labs[i];t.classList.remove('hidden');
  if(t.classList.contains('station-label')&&$('layer-stations').classList.contains('off')||t.classList.contains('town-label')&&$('layer-towns').classList.contains('off')){t.classList.add('hidden');continue;}
  if(getComputedStyle(t).display==='none')continue;
  var ax=t.getAttribute('data-ax'),cands;
  if(ax!=null){var x=+ax,y=+t.getAttribute('data-ay');cands=[[x+9*u,y+4*u,'start'],[x-9*u,y+4*u,'end'],[x,y-10*u,'middle'],[x,y+16*u,'middle'],[x+8*u,y-8*u,'start'],[x-8*u,y+14*u,'end']];}else cands=[[+t.getAttribute('x'),+t.getAttribute('y'),'middle']];
  var placed=false;
  for(var j=0;j<cands.length&&!placed;j++){var c=cands[j];if(ax!=null){t.setAttribute('x',c[0].toFixed(2));t.setAttribute('y',c[1].toFixed(2));t.style.textAnchor=c[2];}
   var b=t.getBBox();var r={x:b.x-pad,y:b.y-pad,w:b.width+2*pad,h:b.height+2*pad};
   if(r.x+r.w<vb.x||r.x>vb.x+vb.w||r.y+r.h<vb.y||r.y>vb.y+vb.h){placed=true;break;}
   if(ax!=null&&(r.x<vb.x||r.x+r.w>vb.x+vb.w||r.y<vb.y||r.y+r.h>vb.y+vb.h))continue;
   var hit=false;for(var q=0;q<taken.length;q++)if(overlap(r,taken[q])){hit=true;break;}
   if(!hit){taken.push(r);placed=true;}}
  if(!placed)t.classList.add('hidden');}}
// ------------------------------------------------------------ episode layers
var GT=$('layer-trajectories'),GS=$('layer-sources'),GH=$('layer-hour'),GF=$('layer-fires-hour');
function clear(g){while(g.firstChild)g.removeChild(g.firstChild);}
function band(p,r){var L=[],R=[],n=p.length;for(var i=0;i<n;i++){var a=p[Math.max(0,i-1)],b=p[Math.min(n-1,i+1)];var dx=b[0]-a[0],dy=b[1]-a[1],l=Math.sqrt(dx*dx+dy*dy)||1;var rr=(r[i]||0)*D.unitsPerKm;var nx=-dy/l*rr,ny=dx/l*rr;L.push((p[i][0]+nx).toFixed(1)+','+(p[i][1]+ny).toFixed(1));R.push((p[i][0]-nx).toFixed(1)+','+(p[i][1]-ny).toFixed(1));}return 'M'+L.join('L')+'L'+R.reverse().join('L')+'Z';}
function line(p){var s='';for(var i=0;i<p.length;i++)s+=(i?'L':'M')+p[i][0]+','+p[i][1];return s;}
function flatLine(f){var s='';for(var i=0;i<f.length;i+=2)s+=(i?'L':'M')+f[i]+','+f[i+1];return s;}
function shown(){if(ep>=0)return [{e:D.episodes[ep],tr:D.episodes[ep].tr}];var out=[];D.episodes.forEach(function(e){if(!e.ok||!e.tr.length)return;var best=e.tr[0];e.tr.forEach(function(t){if(Math.abs(t.s-e.pk)<Math.abs(best.s-e.pk))best=t;});out.push({e:e,tr:[best]});});return out;}
function drawTrajectories(){clear(GT);var sets=shown(),mem=$('members').checked,many=0;sets.forEach(function(S){many+=S.tr.length;});
 // Bands in one group with the opacity on the group: overlapping starts read as one corridor, not a dark blot.
 var GB=el('g',{'class':'traj-bands'},GT);
 sets.forEach(function(S){S.tr.forEach(function(t,i){if(t.p.length<2)return;el('path',{'class':'traj-band',d:band(t.p,t.r)},GB);});});
 GT.classList.toggle('many',many>12);
 if(mem)sets.forEach(function(S){S.tr.forEach(function(t){(t.m||[]).forEach(function(f){el('path',{'class':'traj-member',d:flatLine(f)},GT);});});});
 sets.forEach(function(S){S.tr.forEach(function(t,i){var pth=el('path',{'class':'traj-mean','data-k':'t','data-s':String(t.s),'data-st':S.e.st,'data-km':String(t.r[t.r.length-1]||0),d:line(t.p)},GT);});});}
function drawSources(){clear(GS);var list=ep>=0?D.episodes[ep].src:D.pooled.src;var smax=1e-9;list.forEach(function(s){if(s[2]>smax)smax=s[2];});
 list.slice().sort(function(a,b){return a[2]-b[2];}).forEach(function(s,i){var r=2.5+9*Math.sqrt(s[2]/smax);var col=(HZ.cat[s[3]]||['', '#7f8c8d'])[1];
  if(s[5]==='facility')el('rect',{'class':'source','data-k':'c','data-i':String(list.indexOf(s)),'data-half':r.toFixed(2),'data-cx':s[0],'data-cy':s[1],fill:col},GS);
  else el('circle',{'class':'source','data-k':'c','data-i':String(list.indexOf(s)),cx:s[0],cy:s[1],'data-r':r.toFixed(2),fill:col},GS);});}
function bars(id,list,tab){var c=$(id);if(!list||!list.length){c.innerHTML='<p class="empty">'+esc(W.empty)+'</p>';return;}var vmax=0.05;list.forEach(function(b){if(b.hi>vmax)vmax=b.hi;});vmax=Math.min(1,vmax);
 c.innerHTML=list.map(function(b){var L=tab[b.key]||[b.key,'#7f8c8d'];return '<div class="bar-row"><span class="bar-label">'+esc(L[0])+'</span><span class="bar-track"><span class="bar" style="width:'+(b.share/vmax*100).toFixed(1)+'%;background:'+L[1]+'"></span><span class="whisker" style="left:'+(b.lo/vmax*100).toFixed(1)+'%;width:'+(Math.max(0,b.hi-b.lo)/vmax*100).toFixed(1)+'%"></span></span><span class="bar-value">'+pct(b.share)+'</span></div>';}).join('');}
function drawShares(){var e=ep>=0?D.episodes[ep]:null;bars('chart-category',e?e.cat:D.pooled.cat,HZ.cat);bars('chart-region',e?e.reg:D.pooled.reg,HZ.reg);$('shares-title').textContent=e?HZ.epLabels[ep]:W.all;}
function highlight(){var st=ep>=0?D.episodes[ep].st:null;var n=document.querySelectorAll('[data-st]');for(var i=0;i<n.length;i++){if(n[i].closest&&n[i].closest('#map'))continue;n[i].classList.toggle('sel',n[i].getAttribute('data-st')===st&&(!n[i].classList.contains('episode-band')||true));}
 n=svg.querySelectorAll('.station');for(i=0;i<n.length;i++)n[i].classList.toggle('sel',n[i].getAttribute('data-id')===st);
 n=document.querySelectorAll('#episodes tbody tr');for(i=0;i<n.length;i++)n[i].classList.toggle('sel',+n[i].getAttribute('data-ep')===ep);}
function range(){if(ep>=0){var e=D.episodes[ep];return [e.a,e.b];}var a=Infinity,b=-Infinity;D.episodes.forEach(function(e){if(!e.ok)return;if(e.a<a)a=e.a;if(e.b>b)b=e.b;});return isFinite(a)?[a,b]:[0,0];}
function setupSlider(){var r=range(),s=$('hour');s.max=String(Math.max(0,Math.round((r[1]-r[0])/3600000)));s.value='0';hour();}
function hour(){clear(GH);clear(GF);var v=+$('hour').value,r=range();var means=GT.querySelectorAll('.traj-mean');for(var i=0;i<means.length;i++)means[i].classList.remove('now');
 if(v===0){hourT=null;$('hour-label').textContent=W.hourAll;$('hour').setAttribute('aria-valuetext',W.hourAll);return;}
 var T=r[0]+(v-1)*3600000;hourT=T;var lab=when(T,false);$('hour-label').textContent=lab;$('hour').setAttribute('aria-valuetext',lab);
 var sets=shown(),best=null,bd=Infinity;
 sets.forEach(function(S){S.tr.forEach(function(t){var age=(t.s-T)/3600000;if(age<0||!t.p.length)return;var q=null,qd=Infinity;for(var j=0;j<t.p.length;j++){var d=Math.abs(t.p[j][2]-age);if(d<qd){qd=d;q=t.p[j];}}
  if(q&&qd<=2)el('circle',{'class':'hour-dot','data-r':'3.6',cx:q[0],cy:q[1]},GH);var dd=Math.abs(t.s-T);if(dd<bd){bd=dd;best=t.s;}});});
 for(i=0;i<means.length;i++)if(+means[i].getAttribute('data-s')===best)means[i].classList.add('now');
 var tm=T/60000;D.fires.forEach(function(f){if(Math.abs(f[2]-tm)<=720)el('circle',{'class':'fire-dot','data-r':'2.6',cx:f[0],cy:f[1]},GF);});
 GH.setAttribute('data-count',String(GH.childNodes.length));GF.setAttribute('data-count',String(GF.childNodes.length));sizeMarkers();}
function selectEpisode(i){ep=i;$('episode').value=String(i);drawTrajectories();drawSources();drawShares();highlight();setupSlider();sizeMarkers();clearTimeout(declutterTimer);declutterTimer=setTimeout(declutter,30);}
// ------------------------------------------------------------ tooltips
function tipHtml(t){var k=t.getAttribute('data-k'),i=+t.getAttribute('data-i'),x;
 if(k==='h'){x=D.density[i];var s='<b>'+esc(fmt(W.detections,{n:num(x[0])}))+'</b><br>'+esc(fmt(W.frp,{v:num(x[1])}));if(x[2]!=null)s+='<br>'+esc(fmt(W.risk,{s:x[2],l:HZ.levels[x[4]]||x[4]}))+'<br>'+esc(W.mainFactor)+': '+esc(HZ.factors[x[3]]||x[3]);return s;}
 if(k==='r'){x=D.risk[i];return '<b>'+esc(fmt(W.risk,{s:x[0],l:HZ.levels[x[1]]||x[1]}))+'</b><br>'+esc(W.mainFactor)+': '+esc(HZ.factors[x[2]]||x[2]);}
 if(k==='c'){var list=ep>=0?D.episodes[ep].src:D.pooled.src;x=list[i];if(!x)return '';var c=HZ.cat[x[3]]||[x[3]],g=HZ.reg[x[4]]||[x[4]];return '<b>'+esc(x[6])+'</b><br>'+esc(c[0])+' · '+esc(g[0])+'<br>'+esc(fmt(W.sourceShare,{p:pct(x[2]),e:ep>=0?HZ.epLabels[ep]:W.all}));}
 if(k==='s'){var id=t.getAttribute('data-id');x=D.stations[id]||[id,null,null];return '<b>'+esc(id+' '+x[0])+'</b><br>'+(x[1]!=null?esc(fmt(W.stationPeak,{v:num(x[1],1)+' '+W.unit,t:when(x[2],true)})):esc(W.stationNoEpisode));}
 if(k==='t'){var st=t.getAttribute('data-st');return esc(fmt(W.traj,{s:st+' '+((D.stations[st]||[''])[0]),t:when(+t.getAttribute('data-s'),true),k:t.getAttribute('data-km')}));}
 return '';}
function showTip(t,cx,cy){var h=tipHtml(t);if(!h){tip.style.display='none';return;}tip.innerHTML=h;tip.style.display='block';var r=box.getBoundingClientRect();var x=cx-r.left+14,y=cy-r.top+14;
 if(x+tip.offsetWidth>r.width-4)x=Math.max(4,cx-r.left-tip.offsetWidth-14);if(y+tip.offsetHeight>r.height-4)y=Math.max(4,cy-r.top-tip.offsetHeight-14);tip.style.left=x+'px';tip.style.top=y+'px';}
function target(e){var t=e.target;while(t&&t!==svg){if(t.getAttribute&&t.getAttribute('data-k'))return t;t=t.parentNode;}return null;}
svg.addEventListener('mousemove',function(e){if(drag)return;var t=target(e);if(t)showTip(t,e.clientX,e.clientY);else tip.style.display='none';});
svg.addEventListener('mouseleave',function(){tip.style.display='none';});
// ------------------------------------------------------------ pointer: pan, pinch, click
var ptrs={},drag=null,moved=0;
svg.addEventListener('pointerdown',function(e){ptrs[e.pointerId]={x:e.clientX,y:e.clientY};try{svg.setPointerCapture(e.pointerId);}catch(_){}var ids=Object.keys(ptrs);moved=0;
 if(ids.length===1)drag={x:e.clientX,y:e.clientY,vx:vb.x,vy:vb.y,t:target(e)};else drag={pinch:true};svg.classList.add('dragging');});
svg.addEventListener('pointermove',function(e){if(!ptrs[e.pointerId])return;var prev=ptrs[e.pointerId];var ids=Object.keys(ptrs);
 if(ids.length>=2){var a=ptrs[ids[0]],b=ptrs[ids[1]];var d0=Math.hypot(a.x-b.x,a.y-b.y);ptrs[e.pointerId]={x:e.clientX,y:e.clientY};a=ptrs[ids[0]];b=ptrs[ids[1]];var d1=Math.hypot(a.x-b.x,a.y-b.y);if(d0>0)zoomAt(d1/d0,(a.x+b.x)/2,(a.y+b.y)/2);moved=99;return;}
 ptrs[e.pointerId]={x:e.clientX,y:e.clientY};if(!drag||drag.pinch)return;var r=svg.getBoundingClientRect();var dx=e.clientX-drag.x,dy=e.clientY-drag.y;moved=Math.max(moved,Math.abs(dx)+Math.abs(dy));
 if(moved>3){vb.x=drag.vx-dx/r.width*vb.w;vb.y=drag.vy-dy/r.height*vb.h;apply();tip.style.display='none';}});
function up(e){var wasDrag=drag;delete ptrs[e.pointerId];if(Object.keys(ptrs).length===0){svg.classList.remove('dragging');
 if(wasDrag&&!wasDrag.pinch&&moved<=3){var t=wasDrag.t;if(t){showTip(t,e.clientX,e.clientY);if(t.getAttribute('data-k')==='s')stationClick(t.getAttribute('data-id'));}else tip.style.display='none';}drag=null;}}
svg.addEventListener('pointerup',up);svg.addEventListener('pointercancel',up);
svg.addEventListener('wheel',function(e){e.preventDefault();zoomAt(Math.exp(-e.deltaY*(e.deltaMode===1?0.05:0.0018)),e.clientX,e.clientY);},{passive:false});
function stationClick(id){var list=[];D.episodes.forEach(function(e,i){if(e.st===id&&e.ok)list.push(i);});if(!list.length)return;var k=list.indexOf(ep);selectEpisode(list[(k+1)%list.length]);}
$('zoom-in').addEventListener('click',function(){zoomCenter(1.6);});$('zoom-out').addEventListener('click',function(){zoomCenter(1/1.6);});
$('zoom-reset').addEventListener('click',function(){home();apply();});
$('episode').addEventListener('change',function(){selectEpisode(+this.value);});
$('hour').addEventListener('input',hour);$('members').addEventListener('change',function(){drawTrajectories();hour();});
var rows=document.querySelectorAll('#episodes tbody tr');for(var i=0;i<rows.length;i++)rows[i].addEventListener('click',function(){var k=+this.getAttribute('data-ep');if(D.episodes[k].ok){selectEpisode(k);$('map-section').scrollIntoView({behavior:'smooth'});}});
var cbs=document.querySelectorAll('input[data-layer]');for(i=0;i<cbs.length;i++)(function(cb){var g=$(cb.getAttribute('data-layer'));if(!g)return;var sync=function(){g.classList.toggle('off',!cb.checked);clearTimeout(declutterTimer);declutterTimer=setTimeout(declutter,30);};cb.addEventListener('change',sync);sync();})(cbs[i]);
window.addEventListener('resize',apply);
home();selectEpisode(-1);apply();
document.documentElement.setAttribute('data-ready','1');
})();`;
