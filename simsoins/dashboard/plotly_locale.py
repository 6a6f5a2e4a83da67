"""plotly.js's French locale (« locale française »), registered in the French page."""

#: Locale registered in the page so plotly's dates and buttons are French.
PLOTLY_LOCALE_FR = (
    'Plotly.register({moduleType:"locale",name:"fr",dictionary:{\n'
    '"Autoscale":"Échelle automatique","Box Select":"Sélection rectangulaire",'
    '"Double-click to zoom back out":"Double-cliquez pour dézoomer",\n'
    '"Download plot as a png":"Télécharger le graphique en PNG","Lasso Select":"Sélection lasso",'
    '"Pan":"Translation",\n'
    '"Reset axes":"Réinitialiser les axes","Reset view":"Réinitialiser","Zoom":"Zoom",'
    '"Zoom in":"Zoom avant","Zoom out":"Zoom arrière",\n'
    '"Toggle Spike Lines":"Afficher/masquer les lignes de repère",'
    '"Show closest data on hover":"Donnée la plus proche au survol",\n'
    '"Compare data on hover":"Comparer les données au survol"},\n'
    'format:{days:["Dimanche","Lundi","Mardi","Mercredi","Jeudi","Vendredi","Samedi"],shortDays:["Dim",'
    '"Lun","Mar","Mer","Jeu","Ven","Sam"],\n'
    'months:["Janvier","Février","Mars","Avril","Mai","Juin","Juillet","Août","Septembre","Octobre",'
    '"Novembre","Décembre"],\n'
    'shortMonths:["Janv.","Févr.","Mars","Avr.","Mai","Juin","Juil.","Août","Sept.","Oct.","Nov.","Déc."],'
    '\n'
    'date:"%d/%m/%Y",decimal:",",thousands:"\\u202f"}});'
)
