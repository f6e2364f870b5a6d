#!/bin/sh
# Runs `querylens check --format json` on every extracted project (the default output, P0-P2; the
# scorer filters) and scores the labels: the validation rounds and the twelve separately.
#   bench/realworld/census.sh [QUERYLENS] [OUT_DIR]
# Projects are read from $REALWORLD_DIR (default /work/realworld, see extract.py).
set -eu
QL=${1:-build/querylens}
OUT=${2:-/tmp/ql-census}
RW=${REALWORLD_DIR:-/work/realworld}
HERE=$(dirname "$0")
VALIDATION="v_kaneo v_dittofeed v_giselle v2_helper v2_codu v2_ctrlplane v3_shadow v3_lmnr v3_latitude v4_iffy v4_quackback v4_pagespace v5_morphic v5_pagescms v6a_codebuff v6a_leaflet v6b_xyne v6b_kyoo v7_rybbit v7_cosmo v7_flowglad v8_llmgateway v8_elizacloud v9_agents v9_tanstack v9_lunary v9_wdc v10_AppFlowy-Cloud v10_documenso v10_formbricks v10_hatchet v10_hoppscotch v10_inbox-zero v10_langfuse v10_mono v10_next-learn v10_openpanel v10_papermark v10_rallly v10_relivator v10_saas-starter v10_supermemory v10_triggerdev v10_umami v11_tablecn v11_listmonk v11_fider"
ROUND12="v12_ghostfolio v12_logto v12_teable v12_refly v12_linkwarden v12_postiz-app v12_stack-auth v12_useSend v12_OpenCut v12_SaaS-Boilerplate v12_capgo v12_openstatus v12_pg-boss v12_worker v12_outline"
ROUND13="v13_folo v13_voltagent v13_frontpage v13_kutt v13_firecrawl v13_lightfast v13_nango v13_shelf v13_typebot v13_noodle v13_storage v13_hasura-auth v13_river v13_unleash v13_chatbot-ui v13_subscription-payments v13_basejump v13_pgflow v13_graphile-starter v13_flowise v13_nestjs-boilerplate v13_joplin v13_traduora v13_atproto v13_jackson"
ROUND14="v14_medusa v14_homarr v14_Next-js-Boilerplate v14_jitsu"
ROUND15="v15_streamystats v15_libra v15_tracearr v15_flexile v15_docmost"
ROUND16="v16_civitai v16_omnivore v16_atomic-crm v16_automatisch v16_crowd.dev"
ROUND17="v17_hedgedoc v17_worklenz v17_evershop v17_peppermint v17_wiki"
ROUND18="v18_AFFiNE v18_quivr v18_langwatch"
TWELVE="dokploy sim midday aichatbot onlook zero betterchatbot databuddy kan reactiveresume sparka skateshop"
mkdir -p "$OUT"
for p in $VALIDATION $ROUND12 $ROUND13 $ROUND14 $ROUND15 $ROUND16 $ROUND17 $ROUND18 $TWELVE; do
  [ -d "$RW/$p" ] || { echo "skip $p: not extracted in $RW" >&2; continue; }
  "$QL" check "$RW/$p" --root "$RW/$p" --format json --fail-on never -o "$OUT/$p.check.json" 2>"$OUT/$p.stderr" ||
    echo "querylens failed on $p (see $OUT/$p.stderr)" >&2
done
files() { for p in "$@"; do [ -f "$OUT/$p.check.json" ] && printf '%s=%s ' "$p" "$OUT/$p.check.json"; done; }
echo "== validation rounds"; python3 "$HERE/score.py" $(files $VALIDATION)
echo "== round 12 (held out until session 14)"; python3 "$HERE/score.py" $(files $ROUND12)
echo "== round 13 (held out until session 15)"; python3 "$HERE/score.py" $(files $ROUND13)
echo "== round 14 (held out until session 16)"; python3 "$HERE/score.py" $(files $ROUND14)
echo "== round 15 (held out until session 17)"; python3 "$HERE/score.py" $(files $ROUND15)
echo "== round 16 (held out until session 18)"; python3 "$HERE/score.py" $(files $ROUND16)
echo "== round 17 (held out until session 18, picked after round 16's fixes)"; python3 "$HERE/score.py" $(files $ROUND17)
echo "== round 18 (held out until session 18, picked at its end)"; python3 "$HERE/score.py" $(files $ROUND18)
echo "== the twelve";        python3 "$HERE/score.py" $(files $TWELVE)
